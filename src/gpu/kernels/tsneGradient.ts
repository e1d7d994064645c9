import type { KernelScope } from "./context.ts";

/**
 * Sparse symmetric joint probabilities P of t-SNE in compressed sparse row form: the entries of
 * row i are `values[rowStarts[i] .. rowStarts[i + 1]]` at columns `columns[…]`, ascending within
 * a row. Each pair appears in both rows, and all values sum to 1.
 */
export interface SparseAffinities {
  n: number;
  rowStarts: Uint32Array;
  columns: Uint32Array;
  values: Float32Array;
}

/**
 * WGSL: the repulsive half of the exact t-SNE gradient (van der Maaten and Hinton 2008). With
 * wᵢⱼ = 1 / (1 + ‖yᵢ − yⱼ‖²), each invocation i writes vec4(Σⱼ wᵢⱼ²·(yᵢ − yⱼ), Σⱼ wᵢⱼ, 0),
 * j ≠ i. Points pass through workgroup memory 256 at a time, so the O(n²) loop reads each
 * point from storage once per workgroup, not once per invocation.
 */
const repulsionShader = /* wgsl */ `
struct Shape { n: u32 }
@group(0) @binding(0) var<storage, read> positions: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> repulsion: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> shape: Shape;

var<workgroup> tile: array<vec2<f32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) local: u32) {
  let i = id.x;
  let inside = i < shape.n;
  var own = vec2<f32>(0.0);
  if (inside) { own = positions[i]; }
  var force = vec2<f32>(0.0);
  var kernelSum = 0.0;
  for (var start = 0u; start < shape.n; start += 256u) {
    let j = start + local;
    if (j < shape.n) { tile[local] = positions[j]; }
    workgroupBarrier();
    let count = min(256u, shape.n - start);
    for (var t = 0u; t < count; t++) {
      if (start + t == i) { continue; }
      let difference = own - tile[t];
      let w = 1.0 / (1.0 + dot(difference, difference));
      force += w * w * difference;
      kernelSum += w;
    }
    workgroupBarrier();
  }
  if (inside) { repulsion[i] = vec4<f32>(force, kernelSum, 0.0); }
}
`;

/**
 * WGSL: the repulsive half of the gradient estimated for large n in O(n · (k + samples · log k))
 * per iteration instead of O(n²). The near field is exact: point i's terms over the points of
 * its row of P (its nearest neighbours), where the kernel is largest. The far field comes from
 * `samples` points drawn uniformly from all n, shared by the workgroup and redrawn every
 * iteration. A drawn point that is i or in its row (found by binary search, since a row's
 * columns ascend) adds nothing, and the rest are scaled by n / samples, so force and kernel sum
 * stay unbiased. Writes the same vec4(force, kernel sum, 0) as the exact shader.
 */
const sampledRepulsionShader = /* wgsl */ `
struct Shape { n: u32, samples: u32, seed: u32 }
@group(0) @binding(0) var<storage, read> positions: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> rowStarts: array<u32>;
@group(0) @binding(2) var<storage, read> columns: array<u32>;
@group(0) @binding(3) var<storage, read_write> repulsion: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> clock: array<u32>;
@group(0) @binding(5) var<uniform> shape: Shape;

var<workgroup> tile: array<vec2<f32>, 256>;
var<workgroup> tileIndex: array<u32, 256>;

fn inRow(i: u32, j: u32) -> bool {
  var low = rowStarts[i];
  var high = rowStarts[i + 1u];
  while (low < high) {
    let middle = (low + high) / 2u;
    let column = columns[middle];
    if (column == j) { return true; }
    if (column < j) { low = middle + 1u; } else { high = middle; }
  }
  return false;
}

fn hash(value: u32) -> u32 {
  let state = value * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3<u32>) {
  let i = id.x;
  let inside = i < shape.n;
  var own = vec2<f32>(0.0);
  var nearForce = vec2<f32>(0.0);
  var nearSum = 0.0;
  if (inside) {
    own = positions[i];
    for (var e = rowStarts[i]; e < rowStarts[i + 1u]; e++) {
      let difference = own - positions[columns[e]];
      let w = 1.0 / (1.0 + dot(difference, difference));
      nearForce += w * w * difference;
      nearSum += w;
    }
  }
  let stream = hash(shape.seed ^ hash(clock[0] * 65537u + group.x));
  var farForce = vec2<f32>(0.0);
  var farSum = 0.0;
  for (var start = 0u; start < shape.samples; start += 256u) {
    let j = hash(stream + start + local) % shape.n;
    tile[local] = positions[j];
    tileIndex[local] = j;
    workgroupBarrier();
    let count = min(256u, shape.samples - start);
    for (var t = 0u; t < count; t++) {
      if (!inside || tileIndex[t] == i || inRow(i, tileIndex[t])) { continue; }
      let difference = own - tile[t];
      let w = 1.0 / (1.0 + dot(difference, difference));
      farForce += w * w * difference;
      farSum += w;
    }
    workgroupBarrier();
  }
  if (inside) {
    let scale = f32(shape.n) / f32(shape.samples);
    repulsion[i] = vec4<f32>(nearForce + scale * farForce, nearSum + scale * farSum, 0.0);
  }
}
`;

/** WGSL: advances the iteration counter that seeds the sampled repulsion. */
const tickShader = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> clock: array<u32>;

@compute @workgroup_size(1)
fn main() { clock[0] += 1u; }
`;

/**
 * WGSL: one workgroup adds the per-point kernel sums into Z = Σᵢ≠ⱼ wᵢⱼ, in float32 over
 * n / 256 values per invocation and then a tree.
 */
const normaliserShader = /* wgsl */ `
struct Shape { n: u32 }
@group(0) @binding(0) var<storage, read> repulsion: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> normaliser: array<f32>;
@group(0) @binding(2) var<uniform> shape: Shape;

var<workgroup> sums: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) local: u32) {
  var sum = 0.0;
  for (var i = local; i < shape.n; i += 256u) { sum += repulsion[i].z; }
  sums[local] = sum;
  workgroupBarrier();
  for (var half = 128u; half > 0u; half /= 2u) {
    if (local < half) { sums[local] += sums[local + half]; }
    workgroupBarrier();
  }
  if (local == 0u) { normaliser[0] = sums[0]; }
}
`;

/**
 * WGSL: the gradient ∂C/∂yᵢ = 4·(α·Σⱼ pᵢⱼ·wᵢⱼ·(yᵢ − yⱼ) − Σⱼ wᵢⱼ²·(yᵢ − yⱼ) / Z), with the
 * attractive sum over row i of the sparse P and α the exaggeration.
 */
const gradientShader = /* wgsl */ `
struct Step { n: u32, exaggeration: f32 }
@group(0) @binding(0) var<storage, read> positions: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> repulsion: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> normaliser: array<f32>;
@group(0) @binding(3) var<storage, read> rowStarts: array<u32>;
@group(0) @binding(4) var<storage, read> columns: array<u32>;
@group(0) @binding(5) var<storage, read> values: array<f32>;
@group(0) @binding(6) var<storage, read_write> gradient: array<vec2<f32>>;
@group(0) @binding(7) var<uniform> step: Step;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= step.n) { return; }
  let own = positions[i];
  var attraction = vec2<f32>(0.0);
  for (var e = rowStarts[i]; e < rowStarts[i + 1u]; e++) {
    let difference = own - positions[columns[e]];
    attraction += values[e] / (1.0 + dot(difference, difference)) * difference;
  }
  let z = normaliser[0];
  var repulsive = vec2<f32>(0.0);
  if (z > 0.0) { repulsive = repulsion[i].xy / z; }
  gradient[i] = 4.0 * (step.exaggeration * attraction - repulsive);
}
`;

/** GPU buffers of a t-SNE problem: the layout, the sparse P and the work buffers of one gradient. */
export interface TsneBuffers {
  n: number;
  layout: GPUBuffer;
  rowStarts: GPUBuffer;
  columns: GPUBuffer;
  values: GPUBuffer;
  repulsion: GPUBuffer;
  normaliser: GPUBuffer;
  gradient: GPUBuffer;
  shape: GPUBuffer;
  step: GPUBuffer;
  /** Far-field samples per point of the sampled repulsion, or 0 for the exact O(n²) repulsion. */
  samples: number;
  /** Iteration counter and shape of the sampled repulsion; absent when it is exact. */
  clock?: GPUBuffer;
  sampledShape?: GPUBuffer;
}

/**
 * Creates the buffers of a t-SNE problem in `scope`, uploading the n × 2 `layout` and
 * `affinities`. With `samples` > 0 the repulsion is the sampled estimate (see
 * `sampledRepulsionShader`) with that many far-field points per point, seeded by `seed`.
 */
export function createTsneBuffers(
  scope: KernelScope,
  layout: Float32Array,
  affinities: SparseAffinities,
  repulsion: { samples: number; seed: number } = { samples: 0, seed: 0 },
): TsneBuffers {
  const { n } = affinities;
  const { samples, seed } = repulsion;
  if (!Number.isInteger(samples) || samples < 0) {
    throw new Error(`webgpu kernel: invalid t-SNE repulsion samples: ${samples} (expected a whole number, 0 for exact repulsion)`);
  }
  const sampled = samples > 0 ? { clock: scope.buffer(4, new Uint32Array(1)), sampledShape: scope.uniform(new Uint32Array([n, samples, seed >>> 0])) } : {};
  return {
    samples,
    ...sampled,
    n,
    layout: scope.buffer(n * 8, layout),
    rowStarts: scope.buffer(affinities.rowStarts.byteLength, affinities.rowStarts),
    columns: scope.buffer(affinities.columns.byteLength, affinities.columns),
    values: scope.buffer(affinities.values.byteLength, affinities.values),
    repulsion: scope.buffer(n * 16),
    normaliser: scope.buffer(4),
    gradient: scope.buffer(n * 8),
    shape: scope.uniform(new Uint32Array([n])),
    step: scope.uniform(new Uint32Array(2)),
  };
}

/** Encodes the three passes that write the gradient at the current layout into `buffers.gradient`. */
export function encodeTsneGradient(scope: KernelScope, buffers: TsneBuffers, exaggeration: number): void {
  const { n } = buffers;
  const step = new ArrayBuffer(8);
  new Uint32Array(step, 0, 1)[0] = n;
  new Float32Array(step, 4, 1)[0] = exaggeration;
  scope.device.queue.writeBuffer(buffers.step, 0, step);
  if (buffers.clock && buffers.sampledShape) {
    scope.dispatch(
      sampledRepulsionShader,
      [buffers.layout, buffers.rowStarts, buffers.columns, buffers.repulsion, buffers.clock, buffers.sampledShape],
      [Math.ceil(n / 256)],
    );
    scope.dispatch(tickShader, [buffers.clock], [1]);
  } else {
    scope.dispatch(repulsionShader, [buffers.layout, buffers.repulsion, buffers.shape], [Math.ceil(n / 256)]);
  }
  scope.dispatch(normaliserShader, [buffers.repulsion, buffers.normaliser, buffers.shape], [1]);
  scope.dispatch(
    gradientShader,
    [buffers.layout, buffers.repulsion, buffers.normaliser, buffers.rowStarts, buffers.columns, buffers.values, buffers.gradient, buffers.step],
    [Math.ceil(n / 64)],
  );
}
