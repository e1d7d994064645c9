import type { KernelContext } from "./context.ts";
import { checkKernelMatrix, type Matrix } from "./matrix.ts";
import { encodeTiledPairs } from "./tiledPairs.ts";

/**
 * Returns the squared Euclidean distances between every row of `a` and every row of `b`
 * (both with the same number of columns) as a row-major a.rows × b.rows matrix. Each entry is
 * summed from the differences themselves, not from ‖x‖² + ‖y‖² − 2x·y, so equal rows give
 * exactly 0 and no entry is negative.
 */
export async function pairwiseSquaredDistances(context: KernelContext, a: Matrix, b: Matrix = a): Promise<Float32Array> {
  checkKernelMatrix("distance input a", a);
  checkKernelMatrix("distance input b", b);
  if (a.columns !== b.columns) {
    throw new Error(`webgpu kernel: invalid distance inputs: a has ${a.columns} columns and b has ${b.columns} (expected the same dimension)`);
  }
  return context.scoped(async (scope) => {
    const left = scope.buffer(a.data.byteLength, a.data);
    const right = b === a ? left : scope.buffer(b.data.byteLength, b.data);
    const distances = encodeTiledPairs(scope, "squaredDifference", "rows", left, right, { depth: a.columns, a: a.rows, b: b.rows });
    return scope.readFloat32(distances, a.rows * b.rows);
  });
}
