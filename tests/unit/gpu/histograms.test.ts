import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { columnHistograms } from "../../../src/gpu/kernels/histograms.ts";
import { mirroredHistograms } from "../../../src/cells/analysis/neuronHistograms.ts";
import { referenceColumnHistograms } from "../../../src/cells/analysis/reference/histograms.ts";
import { gaussianMatrix, kernelContext, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

describe("columnHistograms", { timeout: gpuTestTimeout }, () => {
  test("matches reference with own ranges", async () => {
    const rows = 301;
    const columns = 13;
    const bins = 7;
    const data = gaussianMatrix(rows, columns, 1);
    const gpu = await columnHistograms(context, { data, rows, columns }, { bins });
    const reference = referenceColumnHistograms(data, rows, columns, bins);
    // float32 and float64 may put a value lying within rounding of a bin edge on different sides; seed 1 has none.
    expect(Array.from(gpu)).toEqual(Array.from(reference));
    for (let column = 0; column < columns; column++) {
      let total = 0;
      for (let bin = 0; bin < bins; bin++) total += gpu[column * bins + bin]!;
      expect(total).toBe(rows);
      // The column's maximum lands in the last bin, so it is never empty.
      expect(gpu[column * bins + bins - 1]).toBeGreaterThan(0);
    }
  });

  test("given ranges clamp outside values", async () => {
    const data = new Float32Array([-5, 0.1, 0.6, 0.99, 1, 7]);
    const counts = await columnHistograms(context, { data, rows: 6, columns: 1 }, { bins: 2, ranges: new Float32Array([0, 1]) });
    expect(Array.from(counts)).toEqual([2, 4]);
  });

  test("constant column and one row", async () => {
    const data = new Float32Array([3, 3, 3, 3]);
    expect(Array.from(await columnHistograms(context, { data, rows: 4, columns: 1 }, { bins: 3 }))).toEqual([4, 0, 0]);
    expect(Array.from(await columnHistograms(context, { data: new Float32Array([1, 2]), rows: 1, columns: 2 }, { bins: 2 }))).toEqual([1, 0, 1, 0]);
  });

  test("rejects bad bins and ranges", async () => {
    const matrix = { data: new Float32Array(4), rows: 2, columns: 2 };
    await expect(columnHistograms(context, matrix, { bins: 0 })).rejects.toThrow("invalid histogram bins: 0");
    await expect(columnHistograms(context, matrix, { bins: 2, ranges: new Float32Array(2) })).rejects.toThrow("invalid histogram ranges length: 2");
  });
});

describe("mirroredHistograms", { timeout: gpuTestTimeout }, () => {
  test("shares ranges between domains", async () => {
    // Neuron 0 is higher on target rows; neuron 1 is the same in both.
    const activations = Float32Array.from([0, 5, 1, 5, 2, 6, 3, 6]);
    const result = await mirroredHistograms(context, activations, 4, 2, [0, 0, 1, 1], 2);
    expect(Array.from(result.ranges)).toEqual([0, 3, 5, 6]);
    expect(Array.from(result.source)).toEqual([2, 0, 2, 0]);
    expect(Array.from(result.target)).toEqual([0, 2, 0, 2]);
  });

  test("one domain leaves the other empty", async () => {
    const result = await mirroredHistograms(context, Float32Array.from([1, 2]), 2, 1, [1, 1], 3);
    expect(Array.from(result.source)).toEqual([0, 0, 0]);
    expect(Array.from(result.target)).toEqual([1, 0, 1]);
  });
});
