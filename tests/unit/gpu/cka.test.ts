import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { linearCka } from "../../../src/gpu/kernels/cka.ts";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { referenceLinearCka } from "../../../src/cells/analysis/reference/cka.ts";
import { gaussianMatrix, kernelContext, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

/** Returns a seeded random d × d orthogonal matrix, from Gram–Schmidt on Gaussian columns. */
function randomOrthogonal(d: number, seed: number): Float64Array {
  const q = Float64Array.from(gaussianMatrix(d, d, seed));
  for (let column = 0; column < d; column++) {
    for (let previous = 0; previous < column; previous++) {
      let dot = 0;
      for (let row = 0; row < d; row++) dot += q[row * d + column]! * q[row * d + previous]!;
      for (let row = 0; row < d; row++) q[row * d + column]! -= dot * q[row * d + previous]!;
    }
    let norm = 0;
    for (let row = 0; row < d; row++) norm += q[row * d + column]! ** 2;
    for (let row = 0; row < d; row++) q[row * d + column]! /= Math.sqrt(norm);
  }
  return q;
}

function multiply(x: Float32Array, rows: number, d: number, q: Float64Array, scale: number): Float32Array {
  const result = new Float32Array(rows * d);
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += x[row * d + k]! * q[k * d + j]!;
      result[row * d + j] = scale * sum;
    }
  }
  return result;
}

describe("linearCka", { timeout: gpuTestTimeout }, () => {
  const rows = 90;
  const d = 20;
  const x = gaussianMatrix(rows, d, 1);

  test("matches reference for unrelated inputs", async () => {
    const y = gaussianMatrix(rows, 7, 2);
    const gpu = await linearCka(context, { data: x, rows, columns: d }, { data: y, rows, columns: 7 });
    const reference = referenceLinearCka(x, d, y, 7, rows);
    expect(Math.abs(gpu - reference)).toBeLessThan(1e-5);
    expect(gpu).toBeGreaterThan(0);
    expect(gpu).toBeLessThan(0.5);
  });

  test("representation with itself is 1", async () => {
    expect(await linearCka(context, { data: x, rows, columns: d }, { data: x, rows, columns: d })).toBeCloseTo(1, 5);
  });

  test("invariant to orthogonal transform and scaling", async () => {
    const rotated = multiply(x, rows, d, randomOrthogonal(d, 3), 7.5);
    const value = await linearCka(context, { data: x, rows, columns: d }, { data: rotated, rows, columns: d });
    expect(Math.abs(value - 1)).toBeLessThan(1e-5);
    const y = gaussianMatrix(rows, 7, 2);
    const before = await linearCka(context, { data: x, rows, columns: d }, { data: y, rows, columns: 7 });
    const after = await linearCka(context, { data: rotated, rows, columns: d }, { data: y, rows, columns: 7 });
    expect(Math.abs(before - after)).toBeLessThan(1e-5);
  });

  test("constant representation gives 0", async () => {
    const constant = new Float32Array(rows * 3).fill(0.1);
    const value = await linearCka(context, { data: x, rows, columns: d }, { data: constant, rows, columns: 3 });
    expect(value).toBe(0);
    expect(referenceLinearCka(x, d, constant, 3, rows)).toBe(0);
  });
});
