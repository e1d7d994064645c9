import type { SparseAffinities } from "../../gpu/kernels/tsneGradient.ts";

/** Binary-search steps per point; each halves the bracket on β = 1 / (2σ²). */
const maxSearchSteps = 64;
/** Accepted gap between the row entropy and ln(perplexity), in nats. */
const entropyTolerance = 1e-5;

/**
 * Computes the sparse symmetric t-SNE affinities from each point's k nearest neighbours, as
 * Barnes-Hut t-SNE does (van der Maaten 2014, "Accelerating t-SNE using Tree-Based
 * Algorithms"): p(j|i) is calibrated to `perplexity` over the k neighbours only, and
 * pᵢⱼ = (p(j|i) + p(i|j)) / 2n. `indices` and `squaredDistances` are row-major n × k, nearest
 * first. Returns P in compressed sparse rows, each pair stored in both rows, summing to 1.
 */
export function sparseJointProbabilities(
  indices: Uint32Array,
  squaredDistances: ArrayLike<number>,
  n: number,
  k: number,
  perplexity: number,
): SparseAffinities {
  return symmetriseAffinities(indices, conditionalProbabilities(squaredDistances, n, k, perplexity), n, k);
}

/** Computes p(j|i) over each point's k neighbours, row-major n × k, on the CPU. */
export function conditionalProbabilities(squaredDistances: ArrayLike<number>, n: number, k: number, perplexity: number): Float64Array {
  const conditional = new Float64Array(n * k);
  const targetEntropy = Math.log(Math.min(perplexity, k));
  for (let i = 0; i < n; i++) calibrateRow(squaredDistances, i * k, k, targetEntropy, conditional);
  return conditional;
}

/**
 * Turns conditional probabilities p(j|i) (row-major n × k, for the neighbours in `indices`)
 * into the symmetric joint P, pᵢⱼ = (p(j|i) + p(i|j)) / 2n, in compressed sparse rows.
 */
export function symmetriseAffinities(indices: Uint32Array, conditional: ArrayLike<number>, n: number, k: number): SparseAffinities {
  // Gather each row's own entries and the entries that name it from other rows.
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let slot = 0; slot < k; slot++) {
      const j = indices[i * k + slot]!;
      const value = conditional[i * k + slot]! / (2 * n);
      rows[i]!.set(j, (rows[i]!.get(j) ?? 0) + value);
      rows[j]!.set(i, (rows[j]!.get(i) ?? 0) + value);
    }
  }
  const rowStarts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) rowStarts[i + 1] = rowStarts[i]! + rows[i]!.size;
  const columns = new Uint32Array(rowStarts[n]!);
  const values = new Float32Array(rowStarts[n]!);
  for (let i = 0; i < n; i++) {
    const entries = [...rows[i]!.entries()].sort((a, b) => a[0] - b[0]);
    entries.forEach(([j, value], offset) => {
      columns[rowStarts[i]! + offset] = j;
      values[rowStarts[i]! + offset] = value;
    });
  }
  return { n, rowStarts, columns, values };
}

/**
 * Writes p(j|i) over one row's k neighbours for the β whose entropy matches `targetEntropy`.
 * Distances are shifted by the nearest one first, which leaves p unchanged but keeps the
 * normaliser from underflowing.
 */
function calibrateRow(distances: ArrayLike<number>, offset: number, k: number, targetEntropy: number, out: Float64Array): void {
  const nearest = distances[offset]!;
  let mean = 0;
  for (let slot = 0; slot < k; slot++) mean += (distances[offset + slot]! - nearest) / k;
  let beta = mean > 0 ? 1 / mean : 1;
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let step = 0; step < maxSearchSteps; step++) {
    sum = 0;
    let weighted = 0;
    for (let slot = 0; slot < k; slot++) {
      const shifted = distances[offset + slot]! - nearest;
      const value = Math.exp(-beta * shifted);
      out[offset + slot] = value;
      sum += value;
      weighted += shifted * value;
    }
    const gap = Math.log(sum) + (beta * weighted) / sum - targetEntropy;
    if (Math.abs(gap) < entropyTolerance) break;
    if (gap > 0) {
      low = beta;
      beta = high === Number.POSITIVE_INFINITY ? beta * 2 : (beta + high) / 2;
    } else {
      high = beta;
      beta = (beta + low) / 2;
    }
  }
  for (let slot = 0; slot < k; slot++) out[offset + slot]! /= sum;
}

/** Expands sparse affinities into a full row-major n × n Float64Array, for references and tests. */
export function denseAffinities(affinities: SparseAffinities): Float64Array {
  const { n, rowStarts, columns, values } = affinities;
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let e = rowStarts[i]!; e < rowStarts[i + 1]!; e++) dense[i * n + columns[e]!] = values[e]!;
  }
  return dense;
}
