import type { Snapshot } from "../training/types.ts";
import type { AnalysisKernels } from "./analysisKernels.ts";
import type { LayerMatrix, ProbedLayers } from "./probeLayers.ts";
import { proxyADistance } from "./domainClassifier.ts";
import { weightChangeOverEpochs } from "./weightChange.ts";

/** Below this |r| a target neuron has no close source neuron. */
export const matchThreshold = 0.5;

/** Source × target activation correlations of one layer, with each target neuron's closest source neurons. */
export interface LayerCorrelation {
  layer: string;
  sourceColumns: number;
  targetColumns: number;
  /** Row-major source × target Pearson correlations. */
  correlations: Float32Array;
  /** The most varying neurons of the layer (in the target model), drawn as cells. */
  important: number[];
  /** Per target neuron: its three source neurons of largest |r|, and whether the best reaches {@link matchThreshold}. */
  matches: { target: number; closest: { source: number; r: number }[]; matched: boolean }[];
}

/** Computes the source × target correlation matrix of a layer in one kernel call and matches neurons. */
export async function layerCorrelation(kernels: AnalysisKernels, layer: string, rows: number, source: LayerMatrix, target: LayerMatrix, important = 12): Promise<LayerCorrelation> {
  const correlations = await kernels.correlation({ data: source.data, rows, columns: source.columns }, { data: target.data, rows, columns: target.columns });
  const matches = Array.from({ length: target.columns }, (_, t) => {
    const closest = Array.from({ length: source.columns }, (_, s) => ({ source: s, r: correlations[s * target.columns + t]! }))
      .sort((a, b) => Math.abs(b.r) - Math.abs(a.r) || a.source - b.source)
      .slice(0, 3);
    return { target: t, closest, matched: Math.abs(closest[0]?.r ?? 0) >= matchThreshold };
  });
  return { layer, sourceColumns: source.columns, targetColumns: target.columns, correlations, important: mostVarying(target, rows, important), matches };
}

function mostVarying(matrix: LayerMatrix, rows: number, count: number): number[] {
  const variance = Array.from({ length: matrix.columns }, (_, j) => {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += matrix.data[i * matrix.columns + j]! / rows;
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += (matrix.data[i * matrix.columns + j]! - mean) ** 2;
    return sum / rows;
  });
  return variance
    .map((value, j) => [value, j] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, Math.min(count, matrix.columns))
    .map(([, j]) => j)
    .sort((a, b) => a - b);
}

/** Per-layer measures at one epoch: proxy A-distance of the target model, CKA to the source model, relative weight change. */
export interface LayerEpoch {
  layer: string;
  epoch: number;
  proxyADistance: number;
  cka: number;
  /** ‖W_t − W_s‖ / ‖W_s‖ of the layer's weights; null for a layer without weights, such as pooling. */
  weightChange: number | null;
}

/** Fate of a layer by the last epoch. */
export type LayerFate = "frozen" | "barely moved" | "rewritten";

/** Relative weight change below which a layer counts as barely moved, unless its CKA dropped below {@link rewrittenCka}. */
export const barelyMovedChange = 0.1;
/** Linear CKA to the source model below which a layer's representation counts as rewritten. */
export const rewrittenCka = 0.8;

/**
 * Computes proxy A-distance, linear CKA and relative weight change of every probed layer at
 * every epoch, and each layer's fate at the last epoch: frozen when its weights did not change
 * at all (a layer without weights is judged by CKA alone), rewritten when its weights moved by
 * at least {@link barelyMovedChange} or its CKA fell below {@link rewrittenCka}, barely moved otherwise.
 */
export async function layersOverEpochs(
  kernels: AnalysisKernels,
  probed: ProbedLayers,
  snapshots: readonly Snapshot[],
  domainIndex: Uint8Array,
  seed = 0,
): Promise<{ rows: LayerEpoch[]; fates: { layer: string; fate: LayerFate; weightChange: number | null; cka: number }[] }> {
  const changes = new Map(weightChangeOverEpochs(snapshots).map(({ epoch, layers }) => [epoch, new Map(layers.map((l) => [l.layer, l.relative]))]));
  const rows: LayerEpoch[] = [];
  for (const { epoch, target } of probed.epochs) {
    for (const layer of probed.layers) {
      const activations = target.get(layer)!;
      const source = probed.source.get(layer)!;
      const matrix = (m: LayerMatrix) => ({ data: m.data, rows: probed.rows, columns: m.columns });
      rows.push({
        layer,
        epoch,
        proxyADistance: proxyADistance(activations.data, probed.rows, activations.columns, domainIndex, { seed }).distance,
        cka: await kernels.cka(matrix(source), matrix(activations)),
        weightChange: changes.get(epoch)?.get(layer) ?? null,
      });
    }
  }
  const lastEpoch = probed.epochs.at(-1)!.epoch;
  const fates = rows
    .filter((row) => row.epoch === lastEpoch)
    .map(({ layer, weightChange, cka }) => {
      let fate: LayerFate = "barely moved";
      if (weightChange === 0 || (weightChange === null && cka >= 1 - 1e-6)) fate = "frozen";
      else if ((weightChange ?? 0) >= barelyMovedChange || cka < rewrittenCka) fate = "rewritten";
      return { layer, fate, weightChange, cka };
    });
  return { rows, fates };
}

/** Instances whose prediction changed between two epochs. */
export interface Flips {
  correctToWrong: number[];
  wrongToCorrect: number[];
}

/** Lists probe rows that went from correct to wrong and from wrong to correct between two snapshots. */
export function flipsBetween(from: Snapshot, to: Snapshot, labels: Uint8Array): Flips {
  const flips: Flips = { correctToWrong: [], wrongToCorrect: [] };
  for (let i = 0; i < labels.length; i++) {
    const before = from.probe.predictions[i] === labels[i];
    const after = to.probe.predictions[i] === labels[i];
    if (before && !after) flips.correctToWrong.push(i);
    if (!before && after) flips.wrongToCorrect.push(i);
  }
  return flips;
}
