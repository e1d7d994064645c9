import { encodeColumnStats } from "./columnStats.ts";
import type { KernelContext, KernelScope } from "./context.ts";
import { checkKernelMatrix, type Matrix } from "./matrix.ts";
import { encodeScaledColumns } from "./scaleColumns.ts";
import { sumOfSquares } from "./sumOfSquares.ts";
import { encodeTiledPairs } from "./tiledPairs.ts";

/**
 * Computes linear centred kernel alignment (Kornblith et al. 2019, "Similarity of Neural
 * Network Representations Revisited") between two representations of the same rows:
 * CKA(X, Y) = ‖YᵀX‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F) with X and Y column-centred. It is 1 for
 * equal representations, invariant to orthogonal transforms and isotropic scaling of either
 * side, and in [0, 1].
 *
 * A representation whose centred values are all zero (every column constant) has no defined
 * CKA, and the function returns 0 for it rather than NaN.
 * NOTE: the products are feature × feature, so the cost is O(rows · (a + b)²); for layers far
 * wider than the probe set the n × n Gram form would be cheaper.
 */
export async function linearCka(context: KernelContext, x: Matrix, y: Matrix): Promise<number> {
  checkKernelMatrix("CKA input x", x);
  checkKernelMatrix("CKA input y", y);
  if (x.rows !== y.rows) {
    throw new Error(`webgpu kernel: invalid CKA inputs: x has ${x.rows} rows and y has ${y.rows} (expected the same rows in both)`);
  }
  return context.scoped(async (scope) => {
    const centredX = centre(scope, x);
    const centredY = centre(scope, y);
    const squaredNorm = (left: GPUBuffer, a: number, right: GPUBuffer, b: number) =>
      sumOfSquares(scope, encodeTiledPairs(scope, "product", "columns", left, right, { depth: x.rows, a, b }), a * b);
    const cross = await squaredNorm(centredX, x.columns, centredY, y.columns);
    const selfX = await squaredNorm(centredX, x.columns, centredX, x.columns);
    const selfY = await squaredNorm(centredY, y.columns, centredY, y.columns);
    if (selfX === 0 || selfY === 0) return 0;
    return cross / Math.sqrt(selfX * selfY);
  });
}

function centre(scope: KernelScope, matrix: Matrix): GPUBuffer {
  const input = scope.buffer(matrix.data.byteLength, matrix.data);
  const stats = encodeColumnStats(scope, input, matrix.rows, matrix.columns);
  return encodeScaledColumns(scope, "centre", input, stats, matrix.rows, matrix.columns);
}
