import { linearCka } from "../../gpu/kernels/cka.ts";
import type { KernelContext } from "../../gpu/kernels/context.ts";
import type { Snapshot } from "../training/types.ts";
import { InputError } from "../errors.ts";
import { checkMatrix } from "./checks.ts";
import { proxyADistance, type ProxyADistance, type ProxyADistanceOptions } from "./domainClassifier.ts";

/** One layer's activations on the probe set in the source model and in the target model, n × d each. */
export interface LayerActivations {
  layer: string;
  rows: number;
  source: { data: Float32Array; columns: number };
  target: { data: Float32Array; columns: number };
}

/** Computes linear CKA between the source and target models' activations of each layer, on the GPU. */
export async function ckaPerLayer(context: KernelContext, layers: readonly LayerActivations[]): Promise<{ layer: string; cka: number }[]> {
  const results: { layer: string; cka: number }[] = [];
  for (const { layer, rows, source, target } of layers) {
    checkMatrix(`${layer} source activations`, source.data, rows, source.columns);
    checkMatrix(`${layer} target activations`, target.data, rows, target.columns);
    const cka = await linearCka(context, { data: source.data, rows, columns: source.columns }, { data: target.data, rows, columns: target.columns });
    results.push({ layer, cka });
  }
  return results;
}

/**
 * Computes, for each snapshot, the linear CKA between the recorded layer's probe activations
 * at epoch 0 (the source model, since the target model starts as its copy) and at that epoch.
 */
export async function ckaOverEpochs(context: KernelContext, snapshots: readonly Snapshot[]): Promise<{ epoch: number; cka: number }[]> {
  const first = firstSnapshot(snapshots);
  const { dimension } = first.probe;
  const rows = first.probe.activations.length / dimension;
  const results: { epoch: number; cka: number }[] = [];
  for (const snapshot of snapshots) {
    const cka = await linearCka(
      context,
      { data: first.probe.activations, rows, columns: dimension },
      { data: snapshot.probe.activations, rows, columns: snapshot.probe.dimension },
    );
    results.push({ epoch: snapshot.epoch, cka });
  }
  return results;
}

/** Computes the proxy A-distance of each named layer's activations (n × d) between the two domains. */
export function proxyADistancePerLayer(
  layers: readonly { layer: string; rows: number; columns: number; data: Float32Array }[],
  domainIndex: ArrayLike<number>,
  options: ProxyADistanceOptions = {},
): ({ layer: string } & ProxyADistance)[] {
  return layers.map(({ layer, rows, columns, data }) => ({ layer, ...proxyADistance(data, rows, columns, domainIndex, options) }));
}

/** Computes the proxy A-distance of the recorded layer at every epoch of a run. */
export function proxyADistanceOverEpochs(
  snapshots: readonly Snapshot[],
  domainIndex: ArrayLike<number>,
  options: ProxyADistanceOptions = {},
): ({ epoch: number } & ProxyADistance)[] {
  firstSnapshot(snapshots);
  return snapshots.map((snapshot) => {
    const { activations, dimension } = snapshot.probe;
    return { epoch: snapshot.epoch, ...proxyADistance(activations, activations.length / dimension, dimension, domainIndex, options) };
  });
}

/**
 * Averages channels-last activations over their spatial positions: n × (positions × channels)
 * becomes n × channels, the per-channel summary that the feature level ranks for conv layers.
 */
export function poolChannels(activations: Float32Array, n: number, channels: number): Float32Array {
  const width = activations.length / n;
  if (!Number.isInteger(width) || width % channels !== 0) {
    throw new InputError(`invalid conv activations length: ${activations.length} (expected ${n} rows of positions × ${channels} channels)`, {
      field: "activations",
      value: String(activations.length),
    });
  }
  const positions = width / channels;
  const pooled = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < positions; p++) {
      for (let c = 0; c < channels; c++) pooled[i * channels + c]! += activations[i * width + p * channels + c]! / positions;
    }
  }
  return pooled;
}

function firstSnapshot(snapshots: readonly Snapshot[]): Snapshot {
  const first = snapshots[0];
  if (!first || first.epoch !== 0) {
    throw new InputError("missing epoch-0 snapshot: the source model's activations come from it (expected snapshots starting at epoch 0)", { field: "snapshots" });
  }
  return first;
}
