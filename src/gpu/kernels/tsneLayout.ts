import { KernelScope, type KernelContext } from "./context.ts";
import { createTsneBuffers, encodeTsneGradient, type SparseAffinities, type TsneBuffers } from "./tsneGradient.ts";

/**
 * WGSL: one gradient-descent step of t-SNE with momentum and a gain per coordinate, the same
 * rule as the CPU t-SNE in src/cells/analysis/tsne.ts. A gain grows by 0.2 while the gradient
 * and the previous update point opposite ways, and shrinks by a factor 0.8 otherwise.
 */
const updateShader = /* wgsl */ `
struct Step { n: u32, momentum: f32, learningRate: f32, minGain: f32 }
@group(0) @binding(0) var<storage, read_write> positions: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> gradient: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> update: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> gains: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> step: Step;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= step.n) { return; }
  let g = gradient[i];
  let previous = update[i];
  let grow = (g > vec2<f32>(0.0)) != (previous > vec2<f32>(0.0));
  let gain = max(select(gains[i] * 0.8, gains[i] + 0.2, grow), vec2<f32>(step.minGain));
  gains[i] = gain;
  let next = step.momentum * previous - step.learningRate * gain * g;
  update[i] = next;
  positions[i] += next;
}
`;

/** WGSL: one workgroup subtracts the mean of the layout from every point, so the layout stays centred. */
const centreShader = /* wgsl */ `
struct Shape { n: u32 }
@group(0) @binding(0) var<storage, read_write> positions: array<vec2<f32>>;
@group(0) @binding(1) var<uniform> shape: Shape;

var<workgroup> sums: array<vec2<f32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) local: u32) {
  var sum = vec2<f32>(0.0);
  for (var i = local; i < shape.n; i += 256u) { sum += positions[i]; }
  sums[local] = sum;
  workgroupBarrier();
  for (var half = 128u; half > 0u; half /= 2u) {
    if (local < half) { sums[local] += sums[local + half]; }
    workgroupBarrier();
  }
  let mean = sums[0] / f32(shape.n);
  workgroupBarrier();
  for (var i = local; i < shape.n; i += 256u) { positions[i] -= mean; }
}
`;

export interface TsneStep {
  exaggeration: number;
  momentum: number;
  learningRate: number;
}

/** Lower bound of each gain, as in the CPU t-SNE. */
const minGain = 0.01;

/**
 * A t-SNE layout that lives on the GPU: the n × 2 positions, the sparse P, and the momentum and
 * gain state of gradient descent. It owns its buffers until `dispose()`.
 */
export class TsneLayout {
  private readonly scope: KernelScope;
  private readonly buffers: TsneBuffers;
  private readonly update: GPUBuffer;
  private readonly gains: GPUBuffer;
  private readonly stepUniform: GPUBuffer;
  private disposed = false;

  /**
   * Uploads `affinities` and the n × 2 row-major `initial` layout. `repulsion.samples` > 0
   * estimates the repulsion from that many sampled points per point instead of all n.
   */
  constructor(
    private readonly context: KernelContext,
    affinities: SparseAffinities,
    initial: Float32Array,
    repulsion: { samples: number; seed: number } = { samples: 0, seed: 0 },
  ) {
    if (initial.length !== 2 * affinities.n) {
      throw new Error(`webgpu kernel: invalid t-SNE initial layout length: ${initial.length} (expected 2 × ${affinities.n} points)`);
    }
    this.scope = new KernelScope(context);
    this.buffers = createTsneBuffers(this.scope, initial, affinities, repulsion);
    this.update = this.scope.buffer(affinities.n * 8);
    this.gains = this.scope.buffer(affinities.n * 8, new Float32Array(2 * affinities.n).fill(1));
    this.stepUniform = this.scope.uniform(new Float32Array(4));
  }

  get n(): number {
    return this.buffers.n;
  }

  /** Runs `iterations` steps of gradient descent, each followed by re-centring, in one submit. */
  async step(settings: TsneStep, iterations = 1): Promise<void> {
    this.checkOpen();
    await this.context.checked(async () => this.encodeSteps(settings, iterations));
  }

  private encodeSteps(settings: TsneStep, iterations: number): void {
    const { n } = this.buffers;
    const uniform = new ArrayBuffer(16);
    new Uint32Array(uniform, 0, 1)[0] = n;
    new Float32Array(uniform, 4, 3).set([settings.momentum, settings.learningRate, minGain]);
    this.scope.device.queue.writeBuffer(this.stepUniform, 0, uniform);
    for (let iteration = 0; iteration < iterations; iteration++) {
      encodeTsneGradient(this.scope, this.buffers, settings.exaggeration);
      this.scope.dispatch(updateShader, [this.buffers.layout, this.buffers.gradient, this.update, this.gains, this.stepUniform], [Math.ceil(n / 64)]);
      this.scope.dispatch(centreShader, [this.buffers.layout, this.buffers.shape], [1]);
    }
    this.scope.submit();
  }

  /** Copies the current n × 2 layout back, row-major. */
  async read(): Promise<Float32Array> {
    this.checkOpen();
    return this.context.checked(() => this.scope.readFloat32(this.buffers.layout, 2 * this.buffers.n));
  }

  /** Computes the gradient at the current layout without moving it, for tests. */
  async gradient(exaggeration: number): Promise<Float32Array> {
    this.checkOpen();
    return this.context.checked(() => {
      encodeTsneGradient(this.scope, this.buffers, exaggeration);
      return this.scope.readFloat32(this.buffers.gradient, 2 * this.buffers.n);
    });
  }

  /** Destroys the layout's buffers. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scope.close();
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error("webgpu kernel: TsneLayout used after dispose");
  }
}
