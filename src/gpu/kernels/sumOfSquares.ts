import type { KernelScope } from "./context.ts";
import { grid } from "./scaleColumns.ts";

/**
 * WGSL: partial sums of squares. Each workgroup of 256 invocations reduces 256 × 16 values
 * in workgroup memory and writes one partial sum; the CPU adds the partials in float64, so
 * no float32 sum runs over more than 4,096 values.
 */
const sumOfSquaresShader = /* wgsl */ `
struct Shape { length: u32 }
@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<uniform> shape: Shape;

var<workgroup> sums: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let groupIndex = group.x + group.y * groups.x;
  let start = groupIndex * 4096u;
  var sum = 0.0;
  for (var m = 0u; m < 16u; m++) {
    let index = start + m * 256u + local;
    if (index < shape.length) {
      let value = values[index];
      sum += value * value;
    }
  }
  sums[local] = sum;
  workgroupBarrier();
  for (var half = 128u; half > 0u; half /= 2u) {
    if (local < half) { sums[local] += sums[local + half]; }
    workgroupBarrier();
  }
  if (local == 0u) { partials[groupIndex] = sums[0]; }
}
`;

const valuesPerGroup = 4096;

/** Submits the work encoded so far and returns Σ values[i]² over the first `length` floats of `values`. */
export async function sumOfSquares(scope: KernelScope, values: GPUBuffer, length: number): Promise<number> {
  const groups = Math.max(1, Math.ceil(length / valuesPerGroup));
  const [x, y] = grid(groups * 256);
  const partials = scope.buffer(x * y * 4);
  const shape = scope.uniform(new Uint32Array([length]));
  scope.dispatch(sumOfSquaresShader, [values, partials, shape], [x, y]);
  const sums = await scope.readFloat32(partials, groups);
  let total = 0;
  for (const value of sums) total += value;
  return total;
}
