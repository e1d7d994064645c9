import { encodeColumnStats } from "./columnStats.ts";
import type { KernelContext } from "./context.ts";
import { checkKernelMatrix, type Matrix } from "./matrix.ts";
import { encodeScaledColumns } from "./scaleColumns.ts";
import { encodeTiledPairs } from "./tiledPairs.ts";

export interface CorrelationResult {
  /** Row-major source.columns × target.columns Pearson correlations. */
  correlations: Float32Array;
  /** 1 for each source column whose values are all equal; its row of `correlations` is 0. */
  constantSource: Uint8Array;
  /** 1 for each target column whose values are all equal; its column of `correlations` is 0. */
  constantTarget: Uint8Array;
}

/**
 * Computes the Pearson correlation of every source column with every target column over the
 * shared rows, such as the activations of a layer's neurons (columns) in two models on the
 * same probe images (rows). The columns are standardised on the GPU and multiplied in one
 * tiled product Zₛᵀ·Zₜ.
 *
 * A constant column has no defined correlation (its variance is 0). Its entries are 0, not
 * NaN, and the column is flagged in `constantSource` or `constantTarget`, so a view can show
 * it apart. The diagonal of a layer correlated with itself is therefore 1 except at constant
 * columns, where it is 0.
 */
export async function correlationMatrix(context: KernelContext, source: Matrix, target: Matrix = source): Promise<CorrelationResult> {
  checkKernelMatrix("correlation source", source);
  checkKernelMatrix("correlation target", target);
  if (source.rows !== target.rows) {
    throw new Error(
      `webgpu kernel: invalid correlation inputs: source has ${source.rows} rows and target has ${target.rows} (expected the same probe rows in both)`,
    );
  }
  const rows = source.rows;
  return context.scoped(async (scope) => {
    const standardise = (matrix: Matrix) => {
      const input = scope.buffer(matrix.data.byteLength, matrix.data);
      const stats = encodeColumnStats(scope, input, rows, matrix.columns);
      return { stats, scaled: encodeScaledColumns(scope, "standardise", input, stats, rows, matrix.columns) };
    };
    const left = standardise(source);
    const right = target === source ? left : standardise(target);
    const product = encodeTiledPairs(scope, "product", "columns", left.scaled, right.scaled, { depth: rows, a: source.columns, b: target.columns });
    const correlations = await scope.readFloat32(product, source.columns * target.columns);
    const constantSource = constantColumns(await scope.readFloat32(left.stats, source.columns * 4));
    const constantTarget = right === left ? constantSource : constantColumns(await scope.readFloat32(right.stats, target.columns * 4));
    return { correlations, constantSource, constantTarget };
  });
}

/** Flags the columns whose min equals their max, from packed (mean, squares, min, max) statistics. */
function constantColumns(stats: Float32Array): Uint8Array {
  const flags = new Uint8Array(stats.length / 4);
  for (let column = 0; column < flags.length; column++) flags[column] = stats[4 * column + 2] === stats[4 * column + 3] ? 1 : 0;
  return flags;
}
