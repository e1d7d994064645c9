import * as tf from "@tensorflow/tfjs";
import type { BackendName } from "../../gpu/backend.ts";
import type { Domain } from "../data/types.ts";
import { InputError } from "../errors.ts";
import { shuffledIndices } from "../random.ts";
import { evaluate, type Evaluation } from "./evaluate.ts";
import { confusionMatrix, perClassAccuracy } from "./metrics.ts";
import { checkLabels, cloneModel, freezeLayers } from "./model.ts";
import type { ProbeSet } from "./probe.ts";
import { imagesToTensor, labelsToOneHot } from "./tensors.ts";
import type { FineTuneParams, Progress, RunState, Snapshot } from "./types.ts";

export interface FineTuneData {
  sourceTrain: Domain;
  sourceVal: Domain;
  targetTrain: Domain;
  targetVal: Domain;
  probe: ProbeSet;
}

export interface FineTuneOptions {
  sourceModel: tf.LayersModel;
  data: FineTuneData;
  params: FineTuneParams;
  backend: BackendName;
}

/**
 * One fine-tuning run from a source model. `run()` yields a RunState after each epoch's
 * snapshot (epoch 0 first, before any update). `progress` fires a "progress" event after
 * every batch and an "end" event with the final status when the run stops. The
 * source model is borrowed and never changed; the target model is a copy this run owns.
 */
export class FineTuning {
  readonly progress = new EventTarget();
  latestProgress: Progress | undefined;
  private cancelled = false;
  private disposed = false;
  private started = false;

  constructor(private readonly options: FineTuneOptions) {
    const { data, params, sourceModel } = options;
    const classCount = sourceModel.outputs[0]!.shape[1]!;
    for (const domain of [data.sourceTrain, data.sourceVal, data.targetTrain, data.targetVal, data.probe]) {
      checkLabels(domain.labels, classCount, domain.name);
    }
    checkParams(params);
  }

  /** Stops the run after the current batch; the snapshots recorded so far stay. */
  cancel(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Cancels the run; the target model and optimizer are freed when the loop stops. Safe to call twice. */
  dispose(): void {
    this.cancelled = true;
    this.disposed = true;
  }

  async *run(): AsyncGenerator<RunState, void, undefined> {
    if (this.started) throw new Error("fine-tuning already started: create a new FineTuning to run again");
    if (this.disposed) throw new Error("fine-tuning used after dispose");
    this.started = true;
    const { sourceModel, data, params, backend } = this.options;
    const classCount = sourceModel.outputs[0]!.shape[1]!;
    const startTime = performance.now();
    const snapshots: Snapshot[] = [];
    const state = (status: RunState["status"], error?: Error): RunState => {
      if (status !== "running") this.progress.dispatchEvent(new CustomEvent("end", { detail: { status, elapsedMs: performance.now() - startTime } }));
      return { status, backend, params, snapshots: [...snapshots], error };
    };

    const targetModel = await cloneModel(sourceModel);
    const optimizer = tf.train.adam(params.learningRate);
    try {
      freezeLayers(targetModel, params.frozenLayers);
      targetModel.compile({ optimizer, loss: "categoricalCrossentropy" });

      // The source model never changes, so its three series are measured once and repeated.
      const sourceOnSourceTrain = await evaluate(sourceModel, data.sourceTrain);
      const sourceOnSourceVal = await evaluate(sourceModel, data.sourceVal);
      const sourceOnTarget = await evaluate(sourceModel, data.targetVal);
      const sourceSeries = { sourceTrain: sourceOnSourceTrain, sourceVal: sourceOnSourceVal, target: sourceOnTarget };

      // Time left = batches left × mean batch time + snapshots left × the last snapshot's time.
      let batchMsTotal = 0;
      let snapshotMs = 0;
      const record = async (epoch: number, trainLoss: number | null) => {
        const snapshotStart = performance.now();
        const snapshot = await this.snapshot(targetModel, sourceSeries, classCount, epoch, trainLoss, startTime);
        snapshots.push(snapshot);
        snapshotMs = performance.now() - snapshotStart;
      };
      await record(0, null);
      yield state("running");

      const batches = Math.ceil(data.targetTrain.count / params.batchSize);
      const totalBatches = batches * params.epochs;
      for (let epoch = 1; epoch <= params.epochs; epoch++) {
        const order = shuffledIndices(data.targetTrain.count, params.seed * 1000 + epoch);
        let lossSum = 0;
        for (let batch = 0; batch < batches; batch++) {
          if (this.cancelled) {
            yield state("cancelled");
            return;
          }
          const indices = order.slice(batch * params.batchSize, (batch + 1) * params.batchSize);
          const batchStart = performance.now();
          const loss = await this.trainBatch(targetModel, indices, classCount);
          batchMsTotal += performance.now() - batchStart;
          if (!Number.isFinite(loss)) {
            const error = new Error(
              `training stopped: loss became ${loss} at epoch ${epoch}, batch ${batch + 1} (learning rate ${params.learningRate}). ` +
                "The snapshots before this epoch are kept. Lower the learning rate and run again.",
            );
            yield state("failed", error);
            return;
          }
          lossSum += loss;
          const elapsedMs = performance.now() - startTime;
          const done = (epoch - 1) * batches + batch + 1;
          this.latestProgress = {
            epoch,
            epochs: params.epochs,
            batch: batch + 1,
            batches,
            loss,
            elapsedMs,
            remainingMs: (batchMsTotal / done) * (totalBatches - done) + snapshotMs * (params.epochs - epoch + 1),
          };
          this.progress.dispatchEvent(new CustomEvent("progress", { detail: this.latestProgress }));
        }
        await record(epoch, lossSum / batches);
        yield state(epoch === params.epochs ? "done" : "running");
      }
    } finally {
      targetModel.dispose();
      optimizer.dispose();
    }
  }

  private async trainBatch(model: tf.LayersModel, indices: readonly number[], classCount: number): Promise<number> {
    const { targetTrain } = this.options.data;
    const input = imagesToTensor(targetTrain.images, indices);
    const target = labelsToOneHot(targetTrain.labels, indices, classCount);
    try {
      const loss = await model.trainOnBatch(input, target);
      return Array.isArray(loss) ? loss[0]! : loss;
    } finally {
      input.dispose();
      target.dispose();
    }
  }

  private async snapshot(
    targetModel: tf.LayersModel,
    source: { sourceTrain: Evaluation; sourceVal: Evaluation; target: Evaluation },
    classCount: number,
    epoch: number,
    trainLoss: number | null,
    startTime: number,
  ): Promise<Snapshot> {
    const { data, params } = this.options;
    const onTargetTrain = await evaluate(targetModel, data.targetTrain);
    const onTargetVal = await evaluate(targetModel, data.targetVal);
    const onSource = await evaluate(targetModel, data.sourceVal);
    const onProbe = await evaluate(targetModel, data.probe, { probeLayer: params.probeLayer });
    const targetConfusion = confusionMatrix(onTargetVal.predictions, data.targetVal.labels, classCount);
    const sourceConfusion = confusionMatrix(onSource.predictions, data.sourceVal.labels, classCount);
    const series = (key: "accuracy" | "loss") => ({
      sourceModel: { sourceTrain: source.sourceTrain[key], sourceVal: source.sourceVal[key], target: source.target[key] },
      targetModel: { targetTrain: onTargetTrain[key], targetVal: onTargetVal[key], source: onSource[key] },
    });
    return {
      epoch,
      elapsedMs: performance.now() - startTime,
      trainLoss,
      accuracy: series("accuracy"),
      loss: series("loss"),
      perClass: { target: perClassAccuracy(targetConfusion, classCount), source: perClassAccuracy(sourceConfusion, classCount) },
      confusion: { target: targetConfusion, source: sourceConfusion },
      probe: { predictions: onProbe.predictions, activations: onProbe.activations!, dimension: onProbe.dimension! },
    };
  }
}

function checkParams(params: FineTuneParams): void {
  const positiveIntegers = ["epochs", "batchSize"] as const;
  for (const field of positiveIntegers) {
    const value = params[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(`invalid ${field}: ${value} (expected a whole number of at least 1)`, { field, value: String(value) });
    }
  }
  if (!(params.learningRate > 0)) {
    throw new InputError(`invalid learningRate: ${params.learningRate} (expected a number above 0, such as 0.001)`, {
      field: "learningRate",
      value: String(params.learningRate),
    });
  }
}
