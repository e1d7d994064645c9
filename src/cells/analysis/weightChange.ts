import type { LayerWeight, Snapshot } from "../training/types.ts";
import { InputError } from "../errors.ts";

export interface LayerWeightChange {
  /** Layer name: the weight name up to its last "/", such as "conv1" for "conv1/kernel". */
  layer: string;
  /** ‖W_t − W_s‖ / ‖W_s‖ over all of the layer's weights (kernel and bias together), Frobenius norms. */
  relative: number;
  /** ‖W_s‖, the norm of the source model's weights of the layer. */
  sourceNorm: number;
}

/**
 * Computes the relative weight change of each layer between the source model's weights and
 * the target model's, both in `model.getWeights()` order as snapshots store them. A layer
 * whose source weights are all zero has no relative change: `relative` is 0 when its target
 * weights are zero too and Infinity otherwise.
 */
export function relativeWeightChange(source: readonly LayerWeight[], target: readonly LayerWeight[]): LayerWeightChange[] {
  if (source.length !== target.length) {
    throw new InputError(`invalid target weights: ${target.length} arrays (expected ${source.length}, as in the source model)`, { field: "weights", value: String(target.length) });
  }
  const layers = new Map<string, { difference: number; norm: number }>();
  source.forEach((weight, i) => {
    const other = target[i]!;
    if (other.name !== weight.name || other.values.length !== weight.values.length) {
      throw new InputError(`invalid target weight: ${other.name} with ${other.values.length} values (expected ${weight.name} with ${weight.values.length})`, {
        field: "weights",
        value: other.name,
      });
    }
    const layer = weight.name.includes("/") ? weight.name.slice(0, weight.name.lastIndexOf("/")) : weight.name;
    const sums = layers.get(layer) ?? { difference: 0, norm: 0 };
    for (let j = 0; j < weight.values.length; j++) {
      sums.difference += (other.values[j]! - weight.values[j]!) ** 2;
      sums.norm += weight.values[j]! ** 2;
    }
    layers.set(layer, sums);
  });
  return [...layers].map(([layer, { difference, norm }]) => {
    let relative = 0;
    if (norm > 0) relative = Math.sqrt(difference / norm);
    else if (difference > 0) relative = Number.POSITIVE_INFINITY;
    return { layer, relative, sourceNorm: Math.sqrt(norm) };
  });
}

/**
 * Returns the relative weight change of every layer at every epoch of a run, against epoch 0,
 * whose weights are the source model's because the target model starts as its copy. Rows
 * follow `snapshots`; epoch 0 gives zeros.
 */
export function weightChangeOverEpochs(snapshots: readonly Snapshot[]): { epoch: number; layers: LayerWeightChange[] }[] {
  const first = snapshots[0];
  if (!first || first.epoch !== 0) {
    throw new InputError("missing epoch-0 snapshot: the source weights come from it (expected snapshots starting at epoch 0)", { field: "snapshots" });
  }
  return snapshots.map((snapshot) => ({ epoch: snapshot.epoch, layers: relativeWeightChange(first.weights, snapshot.weights) }));
}
