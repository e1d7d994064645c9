import type { AnalysisKernels } from "./analysisKernels.ts";
import type { LayerMatrix } from "./probeLayers.ts";
import { rankNeuronsByDomain } from "./domainClassifier.ts";
import { pca } from "./pca.ts";
import { checkInteger } from "./checks.ts";

/** The feature level of one layer at one epoch: ranked neurons, their histograms and the biplot. */
export interface FeatureLevel {
  layer: string;
  /** Neuron indices, most domain-separating first. */
  order: Uint32Array;
  /** Domain-classifier weight of every neuron on standardised activations (positive leans to the target). */
  weights: Float64Array;
  /** The top neurons, as indices into the layer. */
  top: number[];
  bins: number;
  /** Per top neuron: [min, max] shared by both domains, and source and target counts per bin. */
  histograms: { neuron: number; min: number; max: number; source: Uint32Array; target: Uint32Array }[];
  /**
   * Biplot of the top neurons: each probe row's coordinates along the classifier normal (x)
   * and along the first principal component made orthogonal to it (y), rows × 2.
   */
  biplot: Float32Array;
  /** Probe rows of the biplot's points, in order. */
  rows: number[];
  /** Loadings of each top neuron on the biplot's two axes, for the arrows. */
  loadings: { neuron: number; x: number; y: number }[];
}

/**
 * Ranks a layer's neurons by a linear domain classifier and computes mirrored histograms and
 * the domain-discrimination biplot for the `top` neurons. With `rows`, only those probe rows
 * are used (such as one class).
 */
export async function featureLevel(
  kernels: AnalysisKernels,
  layer: string,
  matrix: LayerMatrix,
  domainIndex: Uint8Array,
  options: { top?: number; bins?: number; rows?: readonly number[] } = {},
): Promise<FeatureLevel> {
  const { data, columns } = matrix;
  const allRows = data.length / columns;
  const rows = options.rows ?? Array.from({ length: allRows }, (_, i) => i);
  const top = Math.min(columns, options.top ?? 8);
  const bins = options.bins ?? 16;
  checkInteger("top neurons", top, 1);
  checkInteger("histogram bins", bins, 1);
  const ranking = rankNeuronsByDomain(data, allRows, columns, domainIndex, { rows });
  const topNeurons = Array.from(ranking.order.subarray(0, top));

  // Top neurons' activations over the chosen rows, rows × top, with one range per neuron.
  const selected = new Float32Array(rows.length * top);
  rows.forEach((row, i) => topNeurons.forEach((neuron, j) => (selected[i * top + j] = data[row * columns + neuron]!)));
  const ranges = new Float32Array(2 * top);
  for (let j = 0; j < top; j++) {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < rows.length; i++) {
      low = Math.min(low, selected[i * top + j]!);
      high = Math.max(high, selected[i * top + j]!);
    }
    ranges.set([low, high], 2 * j);
  }
  const byDomain = (domain: number) => {
    const picked = rows.map((row, i) => [row, i] as const).filter(([row]) => domainIndex[row] === domain);
    const values = new Float32Array(picked.length * top);
    picked.forEach(([, i], k) => values.set(selected.subarray(i * top, (i + 1) * top), k * top));
    return values;
  };
  const sourceValues = byDomain(0);
  const targetValues = byDomain(1);
  const count = async (values: Float32Array) =>
    values.length === 0 ? new Uint32Array(top * bins) : kernels.histograms({ data: values, rows: values.length / top, columns: top }, bins, ranges);
  const sourceCounts = await count(sourceValues);
  const targetCounts = await count(targetValues);
  const histograms = topNeurons.map((neuron, j) => ({
    neuron,
    min: ranges[2 * j]!,
    max: ranges[2 * j + 1]!,
    source: sourceCounts.slice(j * bins, (j + 1) * bins),
    target: targetCounts.slice(j * bins, (j + 1) * bins),
  }));

  const { biplot, loadings } = domainBiplot(selected, rows.length, top, topNeurons.map((neuron) => ranking.weights[neuron]!));
  return { layer, order: ranking.order, weights: ranking.weights, top: topNeurons, bins, histograms, biplot, rows: [...rows], loadings: loadings.map((l, j) => ({ neuron: topNeurons[j]!, ...l })) };
}

/**
 * Projects standardised rows (n × k) onto two orthonormal axes: the domain classifier's normal
 * and the first principal component with its normal part removed (Gram–Schmidt). When the
 * component is parallel to the normal, the second principal component is used instead.
 */
function domainBiplot(values: Float32Array, n: number, k: number, classifierWeights: number[]): { biplot: Float32Array; loadings: { x: number; y: number }[] } {
  const standardised = new Float32Array(values.length);
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += values[i * k + j]! / n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (values[i * k + j]! - mean) ** 2 / n;
    const scale = variance > 0 ? 1 / Math.sqrt(variance) : 0;
    for (let i = 0; i < n; i++) standardised[i * k + j] = (values[i * k + j]! - mean) * scale;
  }
  const normal = unit(classifierWeights) ?? unit(classifierWeights.map((_, j) => (j === 0 ? 1 : 0)))!;
  let second: number[] | undefined;
  if (k > 1 && n > 1) {
    const { components } = pca(standardised, n, k, { components: Math.min(2, k, n), seed: 0 });
    for (let c = 0; c < components.length / k && !second; c++) {
      const axis = Array.from(components.subarray(c * k, (c + 1) * k));
      const along = axis.reduce((sum, value, j) => sum + value * normal[j]!, 0);
      second = unit(axis.map((value, j) => value - along * normal[j]!));
    }
  }
  second ??= normal.map(() => 0);
  const biplot = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < k; j++) {
      x += standardised[i * k + j]! * normal[j]!;
      y += standardised[i * k + j]! * second[j]!;
    }
    biplot[2 * i] = x;
    biplot[2 * i + 1] = y;
  }
  return { biplot, loadings: normal.map((x, j) => ({ x, y: second[j]! })) };
}

function unit(vector: number[]): number[] | undefined {
  const norm = Math.hypot(...vector);
  return norm > 1e-9 ? vector.map((value) => value / norm) : undefined;
}

/** Indices of the `count` probe rows that activate `neuron` most, highest first. */
export function topActivatingRows(matrix: LayerMatrix, neuron: number, count: number): number[] {
  const rows = matrix.data.length / matrix.columns;
  return Array.from({ length: rows }, (_, i) => i)
    .sort((a, b) => matrix.data[b * matrix.columns + neuron]! - matrix.data[a * matrix.columns + neuron]! || a - b)
    .slice(0, count);
}
