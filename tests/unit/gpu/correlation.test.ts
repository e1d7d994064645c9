import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { correlationMatrix } from "../../../src/gpu/kernels/correlation.ts";
import { referenceCorrelation } from "../../../src/cells/analysis/reference/correlation.ts";
import { gaussianMatrix, kernelContext, maxAbsoluteDifference, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

/** Rows × columns activations whose columns share a few latent factors, so correlations are far from 0. */
function correlatedActivations(rows: number, columns: number, seed: number): Float32Array {
  const factors = gaussianMatrix(rows, 3, seed);
  const noise = gaussianMatrix(rows, columns, seed + 100);
  const data = new Float32Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      data[row * columns + column] = factors[row * 3 + (column % 3)]! * (1 + column / columns) + 0.5 * noise[row * columns + column]! + column;
    }
  }
  return data;
}

describe("correlationMatrix", { timeout: gpuTestTimeout }, () => {
  test.each(["workgroup", "registers"] as const)("matches reference off the tile with %s tiling", async (tiling) => {
    const tiled = await kernelContext({ tiling });
    const rows = 53;
    const source = correlatedActivations(rows, 70, 1);
    const target = correlatedActivations(rows, 5, 2);
    const result = await correlationMatrix(tiled, { data: source, rows, columns: 70 }, { data: target, rows, columns: 5 });
    const reference = referenceCorrelation(source, target, rows, 70, 5);
    // Correlations lie in [−1, 1]; float32 over 53 rows stays within 1e-5.
    expect(maxAbsoluteDifference(result.correlations, reference)).toBeLessThan(1e-5);
    expect(result.constantSource.every((flag) => flag === 0)).toBe(true);
  });

  test("layer with itself has unit diagonal", async () => {
    const rows = 200;
    const columns = 65;
    const data = correlatedActivations(rows, columns, 3);
    const { correlations } = await correlationMatrix(context, { data, rows, columns });
    for (let i = 0; i < columns; i++) expect(Math.abs(correlations[i * columns + i]! - 1)).toBeLessThan(1e-5);
    for (let i = 0; i < columns; i++) {
      for (let j = 0; j < columns; j++) expect(correlations[i * columns + j]).toBeCloseTo(correlations[j * columns + i]!, 6);
    }
  });

  test("constant columns give zeros and flags", async () => {
    const rows = 10;
    const data = gaussianMatrix(rows, 3, 4);
    // Column 1 is constant at 0.1, a value float32 cannot hold exactly, so its mean differs from it by rounding.
    for (let row = 0; row < rows; row++) data[row * 3 + 1] = 0.1;
    const result = await correlationMatrix(context, { data, rows, columns: 3 });
    expect(Array.from(result.constantSource)).toEqual([0, 1, 0]);
    expect(result.correlations.every(Number.isFinite)).toBe(true);
    for (let j = 0; j < 3; j++) {
      expect(result.correlations[3 + j]).toBe(0);
      expect(result.correlations[j * 3 + 1]).toBe(0);
    }
    expect(result.correlations[0]).toBeCloseTo(1, 5);
    const reference = referenceCorrelation(data, data, rows, 3, 3);
    expect(maxAbsoluteDifference(result.correlations, reference)).toBeLessThan(1e-5);
  });

  test("one row makes every column constant", async () => {
    const result = await correlationMatrix(context, { data: new Float32Array([1, 2]), rows: 1, columns: 2 });
    expect(Array.from(result.correlations)).toEqual([0, 0, 0, 0]);
    expect(Array.from(result.constantSource)).toEqual([1, 1]);
  });

  test("rejects different row counts", async () => {
    await expect(
      correlationMatrix(context, { data: new Float32Array(4), rows: 2, columns: 2 }, { data: new Float32Array(3), rows: 3, columns: 1 }),
    ).rejects.toThrow("source has 2 rows and target has 3");
  });
});
