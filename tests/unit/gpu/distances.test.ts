import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { pairwiseSquaredDistances } from "../../../src/gpu/kernels/distances.ts";
import { referenceSquaredDistances } from "../../../src/cells/analysis/reference/distances.ts";
import { gaussianMatrix, kernelContext, maxAbsoluteDifference, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

describe.each(["workgroup", "registers"] as const)("pairwiseSquaredDistances with %s tiling", { timeout: gpuTestTimeout }, (tiling) => {
  let tiled: KernelContext;
  beforeAll(async () => {
    tiled = await kernelContext({ tiling });
  });
  afterEach(() => {
    expect(tiled.liveBuffers).toBe(0);
  });

  // 70 and 130 rows are not multiples of the 64-row tile; 37 columns are not a multiple of the 16-step depth.
  test.each([
    [1, 1, 5],
    [70, 130, 37],
    [64, 64, 16],
    [3, 130, 1],
  ])("matches reference for %i × %i rows of %i", async (aRows, bRows, d) => {
    const a = gaussianMatrix(aRows, d, 1);
    const b = gaussianMatrix(bRows, d, 2);
    const gpu = await pairwiseSquaredDistances(tiled, { data: a, rows: aRows, columns: d }, { data: b, rows: bRows, columns: d });
    const reference = referenceSquaredDistances(a, aRows, b, bRows, d);
    // Entries are about 2d ≈ 74; float32 sums of 37 terms stay within 1e-4 of them.
    expect(maxAbsoluteDifference(gpu, reference)).toBeLessThan(1e-4 * 2 * d);
  });

  test("duplicate rows are exactly zero apart", async () => {
    const row = gaussianMatrix(1, 9, 3);
    const data = new Float32Array(3 * 9);
    data.set(row, 0);
    data.set(row, 9);
    data.set(gaussianMatrix(1, 9, 4), 18);
    const distances = await pairwiseSquaredDistances(tiled, { data, rows: 3, columns: 9 });
    expect(distances[1]).toBe(0);
    expect(distances[3]).toBe(0);
    expect(distances[0]).toBe(0);
    expect(distances[2]).toBeGreaterThan(0);
  });

  test("rejects mismatched dimensions", async () => {
    await expect(
      pairwiseSquaredDistances(context, { data: new Float32Array(4), rows: 2, columns: 2 }, { data: new Float32Array(3), rows: 1, columns: 3 }),
    ).rejects.toThrow("a has 2 columns and b has 3");
  });
});
