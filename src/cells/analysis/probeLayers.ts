import * as tf from "@tensorflow/tfjs";
import type { ProbeSet } from "../training/probe.ts";
import type { Snapshot } from "../training/types.ts";
import { evaluate } from "../training/evaluate.ts";
import { restoreWeights } from "../training/fineTune.ts";
import { cloneModel } from "../training/model.ts";
import { probeLayerNames } from "../models/layers.ts";
import { InputError } from "../errors.ts";

/** One layer's probe activations, rows × columns, conv layers averaged per channel. */
export interface LayerMatrix {
  data: Float32Array;
  columns: number;
}

/**
 * Probe activations of every probed layer: the source model's once, and the target model's at
 * each snapshot, rebuilt from the snapshot's weights. Snapshots store only one layer's
 * activations, so the other layers are recomputed here.
 */
export interface ProbedLayers {
  rows: number;
  layers: string[];
  source: Map<string, LayerMatrix>;
  epochs: { epoch: number; target: Map<string, LayerMatrix> }[];
}

async function activationsOf(model: tf.LayersModel, probe: ProbeSet, layers: readonly string[]): Promise<Map<string, LayerMatrix>> {
  const result = new Map<string, LayerMatrix>();
  for (const layer of layers) {
    const { activations, dimension } = await evaluate(model, probe, { probeLayer: layer });
    result.set(layer, { data: activations!, columns: dimension! });
  }
  return result;
}

/**
 * Records the probe activations of `layers` (default: every layer worth probing) in the source
 * model and in the target model at each snapshot. Epoch 0's target is the source model itself.
 * The temporary models are disposed before this returns.
 */
export async function probeLayers(sourceModel: tf.LayersModel, snapshots: readonly Snapshot[], probe: ProbeSet, layers?: readonly string[]): Promise<ProbedLayers> {
  const names = layers ? [...layers] : probeLayerNames(sourceModel);
  if (snapshots[0]?.epoch !== 0) {
    throw new InputError("missing epoch-0 snapshot (expected the run's snapshots, starting at epoch 0)", { field: "snapshots" });
  }
  const source = await activationsOf(sourceModel, probe, names);
  const epochs: ProbedLayers["epochs"] = [{ epoch: 0, target: source }];
  if (snapshots.length > 1) {
    const model = await cloneModel(sourceModel);
    try {
      for (const snapshot of snapshots.slice(1)) {
        restoreWeights(model, snapshot.weights);
        epochs.push({ epoch: snapshot.epoch, target: await activationsOf(model, probe, names) });
      }
    } finally {
      model.dispose();
    }
  }
  return { rows: probe.count, layers: names, source, epochs };
}
