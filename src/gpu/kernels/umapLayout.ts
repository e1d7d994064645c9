import { KernelScope, type KernelContext } from "./context.ts";

/**
 * The symmetric fuzzy neighbour graph of UMAP in compressed sparse rows. Row i lists the edges
 * from point i and `columns` their other ends. `epochsPerSample` is the number of epochs between
 * two samples of each edge: 1 for the heaviest edge, more for lighter ones.
 */
export interface UmapGraph {
  n: number;
  rowStarts: Uint32Array;
  columns: Uint32Array;
  epochsPerSample: Float32Array;
}

export interface UmapSettings {
  /** Curve parameters of the low-dimensional similarity 1 / (1 + a·d^(2b)). Defaults: umap-js 1.4's findABParams(1, 0.1), that is spread 1 and minDist 0.1. */
  a?: number;
  b?: number;
  /** Weight of the repulsive samples. Default 1. */
  repulsionStrength?: number;
  /** Negative samples per positive sample. Default 5. */
  negativeSampleRate?: number;
  /** Seed of the negative sampling. Default 0. */
  seed?: number;
}

/** Largest move of one coordinate by one term, as in umap-js's clip(). */
const clipValue = 4;

/**
 * WGSL: one epoch of UMAP's stochastic gradient descent (McInnes, Healy and Melville 2018) in
 * a synchronous form. Each invocation owns point i and the edges of row i. For every edge due
 * this epoch it adds the clipped attractive term toward the edge's other end. For every
 * negative sample due on that edge it adds the clipped repulsive term from a random point. The
 * sum, times the learning rate, moves point i into a second buffer, so all points read the
 * same old positions. umap-js instead moves both ends of an edge in place, one edge at a time.
 *
 * Negative samples are counted by stepping `nextNegative` in float32 additions rather than by
 * one division, so the count is bit-for-bit reproducible on any device. Random points come
 * from a PCG hash of (seed, epoch, edge, sample).
 */
const epochShader = /* wgsl */ `
struct Epoch { n: u32, epoch: f32, learningRate: f32, a: f32, b: f32, repulsion: f32, seed: u32 }
@group(0) @binding(0) var<storage, read> positions: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> nextPositions: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> rowStarts: array<u32>;
@group(0) @binding(3) var<storage, read> columns: array<u32>;
@group(0) @binding(4) var<storage, read> epochsPerSample: array<f32>;
@group(0) @binding(5) var<storage, read_write> nextSample: array<f32>;
@group(0) @binding(6) var<storage, read_write> nextNegative: array<f32>;
@group(0) @binding(7) var<storage, read> epochsPerNegative: array<f32>;
@group(0) @binding(8) var<uniform> settings: Epoch;

fn pcg(value: u32) -> u32 {
  let state = value * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= settings.n) { return; }
  let own = positions[i];
  let a = settings.a;
  let b = settings.b;
  let epochHash = pcg(pcg(settings.seed) + u32(settings.epoch));
  var shift = vec2<f32>(0.0);
  for (var e = rowStarts[i]; e < rowStarts[i + 1u]; e++) {
    if (nextSample[e] > settings.epoch) { continue; }
    let difference = own - positions[columns[e]];
    let d2 = dot(difference, difference);
    if (d2 > 0.0) {
      let coefficient = -2.0 * a * b * pow(d2, b - 1.0) / (a * pow(d2, b) + 1.0);
      shift += clamp(coefficient * difference, vec2<f32>(-${clipValue}.0), vec2<f32>(${clipValue}.0));
    }
    nextSample[e] += epochsPerSample[e];

    let edgeHash = pcg(epochHash + e);
    var sample = 0u;
    while (nextNegative[e] <= settings.epoch) {
      nextNegative[e] += epochsPerNegative[e];
      let k = pcg(edgeHash + sample) % settings.n;
      sample++;
      if (k == i) { continue; }
      let away = own - positions[k];
      let r2 = dot(away, away);
      if (r2 > 0.0) {
        let coefficient = 2.0 * settings.repulsion * b / ((0.001 + r2) * (a * pow(r2, b) + 1.0));
        shift += clamp(coefficient * away, vec2<f32>(-${clipValue}.0), vec2<f32>(${clipValue}.0));
      } else {
        shift += vec2<f32>(${clipValue}.0);
      }
    }
  }
  nextPositions[i] = own + settings.learningRate * shift;
}
`;

/**
 * A UMAP layout that lives on the GPU: positions, the graph, and each edge's sampling
 * schedule. It owns its buffers until `dispose()`.
 */
export class UmapLayout {
  private readonly scope: KernelScope;
  private positions: GPUBuffer;
  private nextPositions: GPUBuffer;
  private readonly buffers: GPUBuffer[];
  private readonly settings: Required<UmapSettings>;
  private disposed = false;

  /** Uploads `graph` and the n × 2 row-major `initial` layout. */
  constructor(
    private readonly context: KernelContext,
    readonly graph: UmapGraph,
    initial: Float32Array,
    settings: UmapSettings = {},
  ) {
    const { n } = graph;
    if (initial.length !== 2 * n) throw new Error(`webgpu kernel: invalid UMAP initial layout length: ${initial.length} (expected 2 × ${n} points)`);
    this.settings = { a: 1.5695, b: 0.8942, repulsionStrength: 1, negativeSampleRate: 5, seed: 0, ...settings };
    const negativeRate = this.settings.negativeSampleRate;
    checkGraph(graph);
    const epochsPerNegative = graph.epochsPerSample.map((value) => value / negativeRate);
    this.scope = new KernelScope(context);
    this.positions = this.scope.buffer(n * 8, initial);
    this.nextPositions = this.scope.buffer(n * 8);
    this.buffers = [
      this.scope.buffer(graph.rowStarts.byteLength, graph.rowStarts),
      this.scope.buffer(graph.columns.byteLength, graph.columns),
      this.scope.buffer(graph.epochsPerSample.byteLength, graph.epochsPerSample),
      // Each edge is first sampled after its own period, as in umap-js.
      this.scope.buffer(graph.epochsPerSample.byteLength, graph.epochsPerSample),
      this.scope.buffer(epochsPerNegative.byteLength, epochsPerNegative),
      this.scope.buffer(epochsPerNegative.byteLength, epochsPerNegative),
    ];
  }

  /**
   * Runs epochs `from` to `to − 1` of a run of `totalEpochs`, with the learning rate falling
   * linearly from `initialLearningRate` as in umap-js.
   */
  async epochs(from: number, to: number, totalEpochs: number, initialLearningRate = 1): Promise<void> {
    this.checkOpen();
    // One uniform per epoch lets all the epochs go in one submit; the temporary scope frees them.
    await this.context.scoped(async (temporary) => {
      for (let epoch = from; epoch < to; epoch++) {
        const uniform = temporary.uniform(this.epochUniform(epoch, initialLearningRate * (1 - epoch / totalEpochs)));
        this.scope.dispatch(epochShader, [this.positions, this.nextPositions, ...this.buffers, uniform], [Math.ceil(this.graph.n / 64)]);
        [this.positions, this.nextPositions] = [this.nextPositions, this.positions];
      }
      this.scope.submit();
    });
  }

  /** Copies the current n × 2 layout back, row-major. */
  async read(): Promise<Float32Array> {
    this.checkOpen();
    return this.context.checked(() => this.scope.readFloat32(this.positions, 2 * this.graph.n));
  }

  /** Destroys the layout's buffers. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scope.close();
  }

  private epochUniform(epoch: number, learningRate: number): Uint32Array {
    const { a, b, repulsionStrength, seed } = this.settings;
    const words = new Uint32Array(8);
    const floats = new Float32Array(words.buffer);
    words[0] = this.graph.n;
    floats.set([epoch, learningRate, a, b, repulsionStrength], 1);
    words[6] = seed >>> 0;
    return words;
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error("webgpu kernel: UmapLayout used after dispose");
  }
}

function checkGraph(graph: UmapGraph): void {
  const { n, rowStarts, columns, epochsPerSample } = graph;
  if (rowStarts.length !== n + 1 || rowStarts[n] !== columns.length || columns.length !== epochsPerSample.length) {
    throw new Error(
      `webgpu kernel: invalid UMAP graph: ${rowStarts.length} row starts, ${columns.length} columns and ${epochsPerSample.length} periods for ${n} points (expected n + 1 row starts ending at the edge count, one column and one period per edge)`,
    );
  }
  for (let e = 0; e < epochsPerSample.length; e++) {
    const value = epochsPerSample[e]!;
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new Error(`webgpu kernel: invalid UMAP epochsPerSample: ${value} at edge ${e} (expected a finite number above 0; drop edges that are never sampled)`);
    }
    if (columns[e]! >= n) throw new Error(`webgpu kernel: invalid UMAP graph column: ${columns[e]} at edge ${e} (expected below ${n})`);
  }
}
