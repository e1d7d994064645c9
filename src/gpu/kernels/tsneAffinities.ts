import type { KernelContext } from "./context.ts";

/**
 * WGSL: one invocation per point searches β = 1 / (2σ²) so that the conditional distribution
 * p(j|i) ∝ exp(−β·dᵢⱼ) over the point's k neighbours has entropy ln(perplexity), with the
 * same bisection as the CPU version in src/cells/analysis/tsneSparseAffinities.ts: 64 steps at
 * most, stopping within 1e-5 nats. Distances are shifted by the nearest one, which leaves p
 * unchanged and keeps the normaliser from underflowing.
 */
const calibrateShader = /* wgsl */ `
struct Shape { n: u32, k: u32, targetEntropy: f32 }
@group(0) @binding(0) var<storage, read> distances: array<f32>;
@group(0) @binding(1) var<storage, read_write> conditional: array<f32>;
@group(0) @binding(2) var<uniform> shape: Shape;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= shape.n) { return; }
  let offset = i * shape.k;
  let nearest = distances[offset];
  var mean = 0.0;
  for (var slot = 0u; slot < shape.k; slot++) { mean += (distances[offset + slot] - nearest) / f32(shape.k); }
  var beta = select(1.0, 1.0 / mean, mean > 0.0);
  var low = 0.0;
  var high = -1.0; // below 0: no upper bound yet
  var sum = 0.0;
  for (var step = 0u; step < 64u; step++) {
    sum = 0.0;
    var weighted = 0.0;
    for (var slot = 0u; slot < shape.k; slot++) {
      let shifted = distances[offset + slot] - nearest;
      let value = exp(-beta * shifted);
      sum += value;
      weighted += shifted * value;
    }
    let gap = log(sum) + beta * weighted / sum - shape.targetEntropy;
    if (abs(gap) < 1e-5) { break; }
    if (gap > 0.0) {
      low = beta;
      beta = select((beta + high) / 2.0, beta * 2.0, high < 0.0);
    } else {
      high = beta;
      beta = (beta + low) / 2.0;
    }
  }
  sum = 0.0;
  for (var slot = 0u; slot < shape.k; slot++) { sum += exp(-beta * (distances[offset + slot] - nearest)); }
  for (var slot = 0u; slot < shape.k; slot++) {
    conditional[offset + slot] = exp(-beta * (distances[offset + slot] - nearest)) / sum;
  }
}
`;

/**
 * Computes t-SNE's conditional probabilities p(j|i) over each point's k nearest neighbours
 * (row-major n × k squared distances, nearest first) at the given perplexity, capped at k.
 * Returns row-major n × k probabilities; each row sums to 1.
 */
export async function conditionalAffinities(context: KernelContext, squaredDistances: Float32Array, n: number, k: number, perplexity: number): Promise<Float32Array> {
  if (squaredDistances.length !== n * k) {
    throw new Error(`webgpu kernel: invalid t-SNE distances length: ${squaredDistances.length} (expected ${n} × ${k} neighbours)`);
  }
  if (!(perplexity >= 1)) throw new Error(`webgpu kernel: invalid t-SNE perplexity: ${perplexity} (expected a number of at least 1)`);
  return context.scoped(async (scope) => {
    const distances = scope.buffer(squaredDistances.byteLength, squaredDistances);
    const conditional = scope.buffer(n * k * 4);
    const shape = new ArrayBuffer(16);
    new Uint32Array(shape, 0, 2).set([n, k]);
    new Float32Array(shape, 8, 1)[0] = Math.log(Math.min(perplexity, k));
    scope.dispatch(calibrateShader, [distances, conditional, scope.uniform(new Uint8Array(shape))], [Math.ceil(n / 64)]);
    return scope.readFloat32(conditional, n * k);
  });
}
