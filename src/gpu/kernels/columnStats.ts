import { type KernelScope, workgroupsFor } from "./context.ts";

/**
 * WGSL: per-column statistics of a row-major rows × columns matrix, one invocation per
 * column. Writes vec4(mean, sum of squared deviations from the mean, min, max). The
 * deviations are summed in a second pass over the column, which loses less precision than
 * Σx² − n·mean².
 */
const columnStatsShader = /* wgsl */ `
struct Shape { rows: u32, columns: u32 }
@group(0) @binding(0) var<storage, read> matrix: array<f32>;
@group(0) @binding(1) var<storage, read_write> stats: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> shape: Shape;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let column = id.x;
  if (column >= shape.columns) { return; }
  var sum = 0.0;
  var low = matrix[column];
  var high = low;
  for (var row = 0u; row < shape.rows; row++) {
    let value = matrix[row * shape.columns + column];
    sum += value;
    low = min(low, value);
    high = max(high, value);
  }
  let mean = sum / f32(shape.rows);
  var squares = 0.0;
  for (var row = 0u; row < shape.rows; row++) {
    let deviation = matrix[row * shape.columns + column] - mean;
    squares += deviation * deviation;
  }
  stats[column] = vec4<f32>(mean, squares, low, high);
}
`;

/**
 * Encodes the column statistics of `matrix` (a buffer of rows × columns floats) into a new
 * buffer of `columns` vec4 values: mean, sum of squared deviations, min, max.
 */
export function encodeColumnStats(scope: KernelScope, matrix: GPUBuffer, rows: number, columns: number): GPUBuffer {
  const stats = scope.buffer(columns * 16);
  const shape = scope.uniform(new Uint32Array([rows, columns]));
  scope.dispatch(columnStatsShader, [matrix, stats, shape], [workgroupsFor(columns, 64)]);
  return stats;
}
