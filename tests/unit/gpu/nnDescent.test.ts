import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { kNearestNeighbours } from "../../../src/gpu/kernels/knn.ts";
import { approximateNearestNeighbours } from "../../../src/gpu/kernels/nnDescent.ts";
import { findNeighbours } from "../../../src/cells/analysis/neighbourSearch.ts";
import { gaussianMatrix, kernelContext, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

/** n points in d dimensions on five 3-dimensional subspaces, as activations of a trained layer roughly are. */
function lowDimensional(n: number, d: number, seed: number): Float32Array {
  const basis = gaussianMatrix(5 * 3, d, seed);
  const latent = gaussianMatrix(n, 3, seed + 1);
  const noise = gaussianMatrix(n, d, seed + 2);
  const points = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const cluster = i % 5;
    for (let j = 0; j < d; j++) {
      let value = 6 * basis[cluster * 3 * d + j]! + 0.01 * noise[i * d + j]!;
      for (let t = 0; t < 3; t++) value += latent[i * 3 + t]! * basis[(cluster * 3 + t) * d + j]!;
      points[i * d + j] = value;
    }
  }
  return points;
}

function squaredDistance(points: Float32Array, d: number, a: number, b: number): number {
  let sum = 0;
  for (let t = 0; t < d; t++) sum += (points[a * d + t]! - points[b * d + t]!) ** 2;
  return sum;
}

describe("approximateNearestNeighbours", { timeout: gpuTestTimeout }, () => {
  test("recalls most exact neighbours", async () => {
    const n = 1500;
    const d = 24;
    const k = 10;
    const points = lowDimensional(n, d, 1);
    const approximate = await approximateNearestNeighbours(context, { data: points, rows: n, columns: d }, k, { seed: 4 });
    const exact = await kNearestNeighbours(context, { data: points, rows: n, columns: d }, k);
    let found = 0;
    for (let i = 0; i < n; i++) {
      const truth = new Set(exact.indices.subarray(i * k, (i + 1) * k));
      for (const j of approximate.indices.subarray(i * k, (i + 1) * k)) if (truth.has(j)) found++;
    }
    expect(found / (n * k)).toBeGreaterThan(0.9);
    expect(approximate.rounds).toBeGreaterThan(0);
  });

  test("lists are sorted, distinct, never self", async () => {
    const n = 700;
    const d = 9;
    const k = 12;
    const points = gaussianMatrix(n, d, 2);
    const { indices, distances } = await approximateNearestNeighbours(context, { data: points, rows: n, columns: d }, k, { maxRounds: 3 });
    for (let i = 0; i < n; i++) {
      const row = Array.from(indices.subarray(i * k, (i + 1) * k));
      expect(row).not.toContain(i);
      expect(new Set(row).size).toBe(k);
      for (let slot = 0; slot < k; slot++) {
        expect(distances[i * k + slot]).toBeCloseTo(squaredDistance(points, d, i, row[slot]!), 3);
        if (slot > 0) expect(distances[i * k + slot]).toBeGreaterThanOrEqual(distances[i * k + slot - 1]!);
      }
    }
  });

  test("fills every list when k is n − 1", async () => {
    const n = 12;
    const points = gaussianMatrix(n, 3, 3);
    const approximate = await approximateNearestNeighbours(context, { data: points, rows: n, columns: 3 }, n - 1);
    const exact = await kNearestNeighbours(context, { data: points, rows: n, columns: 3 }, n - 1);
    expect(Array.from(approximate.indices)).toEqual(Array.from(exact.indices));
  });

  test("same seed gives the same lists", async () => {
    const n = 400;
    const points = gaussianMatrix(n, 6, 5);
    const first = await approximateNearestNeighbours(context, { data: points, rows: n, columns: 6 }, 8, { seed: 7, maxRounds: 2 });
    const second = await approximateNearestNeighbours(context, { data: points, rows: n, columns: 6 }, 8, { seed: 7, maxRounds: 2 });
    expect(Array.from(second.indices)).toEqual(Array.from(first.indices));
  });

  test("rejects k of at least n", async () => {
    await expect(approximateNearestNeighbours(context, { data: new Float32Array(6), rows: 3, columns: 2 }, 3)).rejects.toThrow("invalid kNN k: 3");
  });
});

describe("findNeighbours", { timeout: gpuTestTimeout }, () => {
  test("auto is exact for few points", async () => {
    const points = gaussianMatrix(50, 4, 6);
    const found = await findNeighbours(context, { data: points, rows: 50, columns: 4 }, 5);
    expect(found.search).toBe("exact");
    const forced = await findNeighbours(context, { data: points, rows: 50, columns: 4 }, 5, "approximate");
    expect(forced.search).toBe("approximate");
  });

  test("rejects an unknown search", async () => {
    const points = gaussianMatrix(10, 2, 6);
    await expect(findNeighbours(context, { data: points, rows: 10, columns: 2 }, 3, "fast" as "exact")).rejects.toThrow('invalid neighbour search: "fast"');
  });
});
