import type { UmapGraph } from "../../gpu/kernels/umapLayout.ts";

/** Binary-search steps for each point's σ, and the accepted gap, as in umap-js 1.4. */
const maxSearchSteps = 64;
const searchTolerance = 1e-5;
/** Smallest σ as a share of the mean neighbour distance, as in umap-js 1.4. */
const minScale = 1e-3;

/**
 * Builds UMAP's fuzzy neighbour graph (McInnes, Healy and Melville 2018) from each point's k
 * nearest other points, row-major n × k squared Euclidean distances, nearest first. Each point's
 * ρ is its nearest non-zero distance and σ is searched so that Σⱼ exp(−(dᵢⱼ − ρ)/σ) = log₂(k + 1),
 * counting the point itself among its neighbours as umap-js does. The directed weights
 * wᵢⱼ = exp(−max(0, dᵢⱼ − ρ)/σ) are combined by fuzzy union w + wᵀ − w∘wᵀ. Edges lighter
 * than max / epochs are dropped, and each kept edge is sampled every max / w epochs.
 */
export function fuzzyNeighbourGraph(indices: Uint32Array, squaredDistances: ArrayLike<number>, n: number, k: number, epochs: number): UmapGraph {
  const directed: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const distances = new Float64Array(k);
  let meanOverall = 0;
  for (let e = 0; e < n * k; e++) meanOverall += Math.sqrt(squaredDistances[e]!) / (n * k);

  for (let i = 0; i < n; i++) {
    for (let slot = 0; slot < k; slot++) distances[slot] = Math.sqrt(squaredDistances[i * k + slot]!);
    const rho = distances.find((distance) => distance > 0) ?? 0;
    const sigma = searchSigma(distances, rho, Math.log2(k + 1), rho > 0 ? mean(distances) : meanOverall);
    for (let slot = 0; slot < k; slot++) {
      const excess = distances[slot]! - rho;
      directed[i]!.set(indices[i * k + slot]!, excess <= 0 || sigma === 0 ? 1 : Math.exp(-excess / sigma));
    }
  }

  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  let heaviest = 0;
  for (let i = 0; i < n; i++) {
    for (const [j, weight] of directed[i]!) {
      const reverse = directed[j]!.get(i) ?? 0;
      const union = weight + reverse - weight * reverse;
      rows[i]!.set(j, union);
      rows[j]!.set(i, union);
      heaviest = Math.max(heaviest, union);
    }
  }
  const rowStarts = new Uint32Array(n + 1);
  const columns: number[] = [];
  const epochsPerSample: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [j, weight] of [...rows[i]!].sort((a, b) => a[0] - b[0])) {
      if (weight < heaviest / epochs) continue;
      columns.push(j);
      epochsPerSample.push(heaviest / weight);
    }
    rowStarts[i + 1] = columns.length;
  }
  return { n, rowStarts, columns: Uint32Array.from(columns), epochsPerSample: Float32Array.from(epochsPerSample) };
}

function searchSigma(distances: Float64Array, rho: number, target: number, meanDistance: number): number {
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  let sigma = 1;
  for (let step = 0; step < maxSearchSteps; step++) {
    let sum = 0;
    for (const distance of distances) sum += distance - rho > 0 ? Math.exp(-(distance - rho) / sigma) : 1;
    if (Math.abs(sum - target) < searchTolerance) break;
    if (sum > target) {
      high = sigma;
      sigma = (low + high) / 2;
    } else {
      low = sigma;
      sigma = high === Number.POSITIVE_INFINITY ? sigma * 2 : (low + high) / 2;
    }
  }
  return Math.max(sigma, minScale * meanDistance);
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
