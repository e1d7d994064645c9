import type { BackendName } from "../../gpu/backend.ts";

/** Settings of one fine-tuning run; every field changes the result. */
export interface FineTuneParams {
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** Names of the layers whose weights stay as the source model left them. */
  frozenLayers: string[];
  /** Seed of the batch order. */
  seed: number;
  /** Layer whose activations are recorded on the probe set each epoch. */
  probeLayer: string;
}

/** Accuracy (fraction correct) or mean cross-entropy loss of both models on the six evaluation sets. */
export interface SixSeries {
  sourceModel: { sourceTrain: number; sourceVal: number; target: number };
  targetModel: { targetTrain: number; targetVal: number; source: number };
}

/** Everything recorded about the run at one epoch; epoch 0 is before any update. */
export interface Snapshot {
  epoch: number;
  /** Milliseconds since the run started, when this snapshot was complete. */
  elapsedMs: number;
  /** Mean training loss over the epoch's batches; null at epoch 0. */
  trainLoss: number | null;
  accuracy: SixSeries;
  loss: SixSeries;
  /** Target model on target validation data and on source validation data. */
  perClass: { target: Float32Array; source: Float32Array };
  /** Row-major class × class counts, [true, predicted], for the same two sets. */
  confusion: { target: Uint32Array; source: Uint32Array };
  /** The target model's predictions and `probeLayer` activations on the probe set. */
  probe: { predictions: Uint8Array; activations: Float32Array; dimension: number };
  /** Every weight of the target model at this epoch, in `model.getWeights()` order. */
  weights: LayerWeight[];
}

export interface LayerWeight {
  /** Weight name, such as "conv1/kernel". */
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface Progress {
  epoch: number;
  epochs: number;
  /** Batches done in the current epoch. */
  batch: number;
  batches: number;
  /** Loss of the last batch. */
  loss: number;
  elapsedMs: number;
  /** Estimated milliseconds until the run ends, from the mean time per batch so far. */
  remainingMs: number;
}

export type RunStatus = "running" | "done" | "cancelled" | "failed";

/** Results of a run so far. Each new snapshot yields a new RunState. */
export interface RunState {
  status: RunStatus;
  backend: BackendName;
  params: FineTuneParams;
  snapshots: Snapshot[];
  /** Set when status is "failed". */
  error?: Error;
  /** The epoch this run resumed after, when it continued an interrupted run. */
  resumedFrom?: number;
  /** Faults the run recovered from, one sentence each, such as a lost GPU device. */
  notices?: string[];
}
