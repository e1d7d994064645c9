import { encodeColumnStats } from "./columnStats.ts";
import type { KernelContext } from "./context.ts";
import { checkKernelMatrix, type Matrix } from "./matrix.ts";
import { grid } from "./scaleColumns.ts";

/**
 * WGSL: one invocation per matrix entry adds 1 to its column's bin with an atomic add. Bin b of
 * a column covers [min + b·w, min + (b + 1)·w) with w = (max − min) / bins; the maximum falls
 * in the last bin and values outside [min, max] are clamped into the first or last bin.
 */
const histogramShader = /* wgsl */ `
struct Shape { rows: u32, columns: u32, bins: u32 }
@group(0) @binding(0) var<storage, read> matrix: array<f32>;
@group(0) @binding(1) var<storage, read> ranges: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> shape: Shape;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let index = id.x + id.y * groups.x * 256u;
  if (index >= shape.rows * shape.columns) { return; }
  let column = index % shape.columns;
  let range = ranges[column];
  var bin = 0u;
  if (range.y > range.x) {
    let position = (matrix[index] - range.x) / (range.y - range.x) * f32(shape.bins);
    bin = u32(clamp(floor(position), 0.0, f32(shape.bins - 1u)));
  }
  atomicAdd(&counts[column * shape.bins + bin], 1u);
}
`;

/** WGSL: copies (min, max) out of the packed column statistics. */
const rangesShader = /* wgsl */ `
@group(0) @binding(0) var<storage, read> stats: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> ranges: array<vec2<f32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= arrayLength(&ranges)) { return; }
  ranges[id.x] = stats[id.x].zw;
}
`;

export interface HistogramOptions {
  /** Bins per column, at least 1. */
  bins: number;
  /**
   * Range of each column as [min₀, max₀, min₁, max₁, …]. Default: each column's own min and
   * max. Give the same ranges to two matrices to compare their histograms bin by bin, such
   * as a neuron's activations on source and on target images.
   */
  ranges?: Float32Array;
}

/**
 * Counts the values of each column of `matrix` into equal-width bins. Returns row-major
 * columns × bins counts. A column whose range is empty (min = max) has all its values in
 * bin 0.
 */
export async function columnHistograms(context: KernelContext, matrix: Matrix, options: HistogramOptions): Promise<Uint32Array> {
  checkKernelMatrix("histogram input", matrix);
  const { rows, columns } = matrix;
  const { bins, ranges } = options;
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`webgpu kernel: invalid histogram bins: ${bins} (expected a whole number of at least 1)`);
  if (ranges && ranges.length !== 2 * columns) {
    throw new Error(`webgpu kernel: invalid histogram ranges length: ${ranges.length} (expected 2 × ${columns} columns, as min and max per column)`);
  }
  return context.scoped(async (scope) => {
    const input = scope.buffer(matrix.data.byteLength, matrix.data);
    let rangeBuffer: GPUBuffer;
    if (ranges) {
      rangeBuffer = scope.buffer(ranges.byteLength, ranges);
    } else {
      const stats = encodeColumnStats(scope, input, rows, columns);
      rangeBuffer = scope.buffer(columns * 8);
      scope.dispatch(rangesShader, [stats, rangeBuffer], [Math.ceil(columns / 64)]);
    }
    // Buffers start zeroed, as WebGPU guarantees.
    const counts = scope.buffer(columns * bins * 4);
    const shape = scope.uniform(new Uint32Array([rows, columns, bins]));
    scope.dispatch(histogramShader, [input, rangeBuffer, counts, shape], grid(rows * columns));
    return scope.readUint32(counts, columns * bins);
  });
}
