import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { kNearestNeighbours } from "../../../src/gpu/kernels/knn.ts";
import { referenceKNearest } from "../../../src/cells/analysis/reference/knn.ts";
import { gaussianMatrix, kernelContext, maxAbsoluteDifference, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

describe("kNearestNeighbours", { timeout: gpuTestTimeout }, () => {
  test("matches reference off the workgroup size", async () => {
    const n = 150;
    const d = 11;
    const k = 9;
    const points = gaussianMatrix(n, d, 1);
    const gpu = await kNearestNeighbours(context, { data: points, rows: n, columns: d }, k);
    const reference = referenceKNearest(points, n, d, k);
    expect(Array.from(gpu.indices)).toEqual(Array.from(reference.indices));
    expect(maxAbsoluteDifference(gpu.distances, reference.distances)).toBeLessThan(1e-4);
  });

  test("blocks of query rows give the same result", async () => {
    const n = 150;
    const points = gaussianMatrix(n, 11, 1);
    const whole = await kNearestNeighbours(context, { data: points, rows: n, columns: 11 }, 5);
    // 7 query rows per block: 22 blocks, the last one partial.
    const blocked = await kNearestNeighbours(context, { data: points, rows: n, columns: 11 }, 5, { blockBytes: 7 * n * 4 });
    expect(Array.from(blocked.indices)).toEqual(Array.from(whole.indices));
    expect(Array.from(blocked.distances)).toEqual(Array.from(whole.distances));
  });

  test("duplicates come first in index order, never self", async () => {
    const d = 4;
    const row = gaussianMatrix(1, d, 2);
    const points = new Float32Array(5 * d);
    points.set(gaussianMatrix(1, d, 3), 0);
    for (const i of [1, 2, 3]) points.set(row, i * d);
    points.set(gaussianMatrix(1, d, 4), 4 * d);
    const { indices, distances } = await kNearestNeighbours(context, { data: points, rows: 5, columns: d }, 2);
    expect(Array.from(indices.subarray(2, 4))).toEqual([2, 3]);
    expect(Array.from(indices.subarray(4, 6))).toEqual([1, 3]);
    expect(Array.from(indices.subarray(6, 8))).toEqual([1, 2]);
    expect(Array.from(distances.subarray(2, 8))).toEqual([0, 0, 0, 0, 0, 0]);
    const reference = referenceKNearest(points, 5, d, 2);
    expect(Array.from(indices)).toEqual(Array.from(reference.indices));
  });

  test("two points are each other's neighbour", async () => {
    const { indices } = await kNearestNeighbours(context, { data: new Float32Array([0, 1]), rows: 2, columns: 1 }, 1);
    expect(Array.from(indices)).toEqual([1, 0]);
  });

  test("rejects k of at least n, including one point", async () => {
    await expect(kNearestNeighbours(context, { data: new Float32Array([1]), rows: 1, columns: 1 }, 1)).rejects.toThrow("invalid kNN k: 1");
    await expect(kNearestNeighbours(context, { data: new Float32Array(6), rows: 3, columns: 2 }, 3)).rejects.toThrow("expected a whole number from 1 to 2");
  });
});
