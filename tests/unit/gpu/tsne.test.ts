import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { kNearestNeighbours } from "../../../src/gpu/kernels/knn.ts";
import { TsneLayout } from "../../../src/gpu/kernels/tsneLayout.ts";
import { computeGradient } from "../../../src/cells/analysis/tsneGradient.ts";
import { conditionalProbabilities, denseAffinities, sparseJointProbabilities } from "../../../src/cells/analysis/tsneSparseAffinities.ts";
import { conditionalAffinities } from "../../../src/gpu/kernels/tsneAffinities.ts";
import { computeGpuTsne } from "../../../src/cells/analysis/gpuTsne.ts";
import { gaussianMatrix, kernelContext, maxAbsoluteDifference, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

async function affinitiesOf(points: Float32Array, n: number, d: number, k: number) {
  const neighbours = await kNearestNeighbours(context, { data: points, rows: n, columns: d }, k);
  return sparseJointProbabilities(neighbours.indices, neighbours.distances, n, k, k / 3);
}

function referenceGradient(layout: Float32Array, p: Float64Array, n: number, exaggeration: number): Float64Array {
  const gradient = new Float64Array(2 * n);
  computeGradient(Float64Array.from(layout), p, n, exaggeration, new Float64Array(n * n), gradient);
  return gradient;
}

/** n seeded Gaussian points in d ≥ 3 dimensions, point i shifted by 12 along axis i mod 3. */
function threeClusters(n: number, d: number, seed: number): Float32Array {
  const points = gaussianMatrix(n, d, seed);
  for (let i = 0; i < n; i++) points[i * d + (i % 3)]! += 12;
  return points;
}

/** Share of points whose nearest other point in the n × 2 layout is in the same cluster (index mod clusters). */
function nearestInOwnCluster(layout: Float32Array, n: number, clusters: number): number {
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const distance = Math.hypot(layout[2 * i]! - layout[2 * j]!, layout[2 * i + 1]! - layout[2 * j + 1]!);
      if (distance < bestDistance) [best, bestDistance] = [j, distance];
    }
    if (best % clusters === i % clusters) agree++;
  }
  return agree / n;
}

describe("t-SNE on the GPU", { timeout: gpuTestTimeout }, () => {
  test("sparse affinities are symmetric and sum to 1", async () => {
    const n = 40;
    const p = denseAffinities(await affinitiesOf(gaussianMatrix(n, 5, 1), n, 5, 12));
    let total = 0;
    for (let i = 0; i < n; i++) {
      expect(p[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) {
        total += p[i * n + j]!;
        expect(p[i * n + j]).toBe(p[j * n + i]);
      }
    }
    expect(total).toBeCloseTo(1, 5);
  });

  test.each([[300, 1], [300, 12], [257, 4]])("gradient of %i points with exaggeration %i matches reference", async (n, exaggeration) => {
    const affinities = await affinitiesOf(gaussianMatrix(n, 8, 2), n, 8, 30);
    const layout = gaussianMatrix(n, 2, 3).map((value) => value * 3);
    const tsne = new TsneLayout(context, affinities, layout);
    try {
      const gpu = await tsne.gradient(exaggeration);
      const reference = referenceGradient(layout, denseAffinities(affinities), n, exaggeration);
      const scale = Math.max(...reference.map(Math.abs));
      // float32 sums over n terms: within 1e-4 of the largest component.
      expect(maxAbsoluteDifference(gpu, reference)).toBeLessThan(1e-4 * scale);
    } finally {
      tsne.dispose();
    }
  });

  test("duplicate positions and one point give finite gradients", async () => {
    const n = 3;
    const affinities = { n, rowStarts: new Uint32Array([0, 1, 2, 2]), columns: new Uint32Array([1, 0]), values: new Float32Array([0.5, 0.5]) };
    const layout = new Float32Array([1, 1, 1, 1, -2, 0]);
    const tsne = new TsneLayout(context, affinities, layout);
    const gpu = await tsne.gradient(1);
    tsne.dispose();
    expect(maxAbsoluteDifference(gpu, referenceGradient(layout, denseAffinities(affinities), n, 1))).toBeLessThan(1e-6);

    const single = new TsneLayout(context, { n: 1, rowStarts: new Uint32Array([0, 0]), columns: new Uint32Array(0), values: new Float32Array(0) }, new Float32Array([5, 5]));
    expect(Array.from(await single.gradient(1))).toEqual([0, 0]);
    await single.step({ exaggeration: 1, momentum: 0.5, learningRate: 10 }, 3);
    expect(Array.from(await single.read())).toEqual([0, 0]);
    single.dispose();
    single.dispose();
    await expect(single.read()).rejects.toThrow("TsneLayout used after dispose");
  });

  test("steps separate three clusters", async () => {
    const n = 3 * 40;
    const d = 6;
    const points = threeClusters(n, d, 5);
    const affinities = await affinitiesOf(points, n, d, 30);
    const tsne = new TsneLayout(context, affinities, gaussianMatrix(n, 2, 6).map((value) => value * 1e-2));
    await tsne.step({ exaggeration: 12, momentum: 0.5, learningRate: n / 48 }, 100);
    await tsne.step({ exaggeration: 1, momentum: 0.8, learningRate: n / 48 }, 150);
    const layout = await tsne.read();
    tsne.dispose();
    let sumX = 0;
    for (let i = 0; i < n; i++) sumX += layout[2 * i]!;
    expect(Math.abs(sumX / n)).toBeLessThan(1e-3);
    // Each point's nearest other point in the layout belongs to its own cluster.
    expect(nearestInOwnCluster(layout, n, 3)).toBeGreaterThan(0.95);
  });
});

describe("sampled t-SNE repulsion", { timeout: gpuTestTimeout }, () => {
  test("gradient approaches the exact one", async () => {
    const n = 500;
    const affinities = await affinitiesOf(gaussianMatrix(n, 8, 9), n, 8, 30);
    const layout = gaussianMatrix(n, 2, 10).map((value) => value * 3);
    const exact = new TsneLayout(context, affinities, layout);
    const sampled = new TsneLayout(context, affinities, layout, { samples: 8192, seed: 3 });
    try {
      const reference = await exact.gradient(1);
      const estimate = await sampled.gradient(1);
      let error = 0;
      let norm = 0;
      for (let i = 0; i < reference.length; i++) {
        error += (estimate[i]! - reference[i]!) ** 2;
        norm += reference[i]! ** 2;
      }
      // The relative error falls as one over the square root of the draws: about 0.3 at 512
      // draws, 0.08 at 8,192 and 0.03 at 65,536 here. Counting the neighbours twice gave 0.1 at any count.
      expect(Math.sqrt(error / norm)).toBeLessThan(0.15);
      expect(Math.sqrt(error / norm)).toBeGreaterThan(0);
    } finally {
      exact.dispose();
      sampled.dispose();
    }
  });

  test("redraws the samples every iteration", async () => {
    const n = 300;
    const affinities = await affinitiesOf(gaussianMatrix(n, 8, 11), n, 8, 30);
    const layout = gaussianMatrix(n, 2, 12).map((value) => value * 3);
    const sampled = new TsneLayout(context, affinities, layout, { samples: 64, seed: 1 });
    try {
      const first = await sampled.gradient(1);
      const second = await sampled.gradient(1);
      expect(maxAbsoluteDifference(first, second)).toBeGreaterThan(0);
    } finally {
      sampled.dispose();
    }
  });

  test("rejects a negative sample count", () => {
    const affinities = { n: 2, rowStarts: new Uint32Array([0, 1, 2]), columns: new Uint32Array([1, 0]), values: new Float32Array([0.5, 0.5]) };
    expect(() => new TsneLayout(context, affinities, new Float32Array(4), { samples: -1, seed: 0 })).toThrow("invalid t-SNE repulsion samples: -1");
    expect(context.liveBuffers).toBe(0);
  });

  test("separates three clusters", async () => {
    const n = 3 * 100;
    const d = 6;
    const points = threeClusters(n, d, 13);
    const layout = await computeGpuTsne(context, points, n, d, { repulsion: "sampled", repulsionSamples: 256, neighbourSearch: "approximate", iterations: 300, seed: 2 });
    expect(nearestInOwnCluster(layout, n, 3)).toBeGreaterThan(0.95);
  });
});

describe("conditionalAffinities", { timeout: gpuTestTimeout }, () => {
  test("matches the CPU search", async () => {
    const n = 130;
    const k = 20;
    const neighbours = await kNearestNeighbours(context, { data: gaussianMatrix(n, 7, 8), rows: n, columns: 7 }, k);
    const gpu = await conditionalAffinities(context, neighbours.distances, n, k, 6);
    const cpu = conditionalProbabilities(neighbours.distances, n, k, 6);
    // float32 entropies can stop the bisection a step away from float64's; p stays within 2e-4.
    expect(maxAbsoluteDifference(gpu, cpu)).toBeLessThan(2e-4);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let slot = 0; slot < k; slot++) sum += gpu[i * k + slot]!;
      expect(sum).toBeCloseTo(1, 5);
    }
  });

  test("duplicate neighbours share probability equally", async () => {
    const gpu = await conditionalAffinities(context, new Float32Array([0, 0, 0, 5]), 1, 4, 2);
    expect(gpu[0]).toBeCloseTo(gpu[1]!, 6);
    expect(gpu[1]).toBeCloseTo(gpu[2]!, 6);
    expect(gpu[3]).toBeLessThan(gpu[0]!);
    await expect(conditionalAffinities(context, new Float32Array(3), 1, 4, 2)).rejects.toThrow("invalid t-SNE distances length: 3");
  });
});
