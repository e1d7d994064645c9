import type { KernelContext } from "./context.ts";
import { checkNeighbourCount, type Neighbours } from "./knn.ts";
import { checkKernelMatrix, type Matrix } from "./matrix.ts";

export interface NnDescentOptions {
  /** Seed of the random start and of the candidate sampling. Default 0. */
  seed?: number;
  /** Upper bound on refinement rounds after the random start. Default 12. */
  maxRounds?: number;
  /** Entries taken from each neighbour's list per round. Default ceil(128 / k) between 2 and 8, so a round tries about 128 candidates per point, at least 2k. */
  perNeighbour?: number;
  /** Uniformly random candidates per point per round. Default 8. */
  randomCandidates?: number;
  /** Stop when a round changes fewer than tolerance × n × k list entries. Default 0.001. */
  tolerance?: number;
}

export interface ApproximateNeighbours extends Neighbours {
  /** Refinement rounds run. */
  rounds: number;
}

/**
 * WGSL: one invocation per point refines that point's list of the k nearest points it has seen.
 * The candidates are entries of its neighbours' lists from the previous round (a neighbour of a
 * neighbour is likely a neighbour) plus a few uniformly random points. Each invocation reads the
 * previous round's lists and writes only its own row of the next ones, so no two invocations
 * race. Of equal distances the lower index comes first, as in the exact kernel.
 */
function refineShader(k: number): string {
  return /* wgsl */ `
struct Round { n: u32, d: u32, seed: u32, fromScratch: u32, perNeighbour: u32, randomCandidates: u32 }
@group(0) @binding(0) var<storage, read> points: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> previousIndices: array<u32>;
@group(0) @binding(2) var<storage, read> previousDistances: array<f32>;
@group(0) @binding(3) var<storage, read_write> indices: array<u32>;
@group(0) @binding(4) var<storage, read_write> distances: array<f32>;
@group(0) @binding(5) var<storage, read_write> changes: array<atomic<u32>>;
@group(0) @binding(6) var<uniform> settings: Round;

var<private> bestDistance: array<f32, ${k}>;
var<private> bestIndex: array<u32, ${k}>;
var<private> own: u32;
var<private> changed: u32;
var<private> state: u32;

fn nextRandom() -> u32 {
  state = state * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn squaredDistance(a: u32, b: u32) -> f32 {
  let rowA = a * settings.d;
  let rowB = b * settings.d;
  var sum = vec4<f32>(0.0);
  for (var t = 0u; t < settings.d; t++) {
    let difference = points[rowA + t] - points[rowB + t];
    sum += difference * difference;
  }
  return sum.x + sum.y + sum.z + sum.w;
}

fn consider(candidate: u32) {
  if (candidate == own || candidate >= settings.n) { return; }
  let distance = squaredDistance(own, candidate);
  let last = ${k - 1}u;
  if (distance > bestDistance[last] || (distance == bestDistance[last] && candidate > bestIndex[last])) { return; }
  // Only candidates that would enter the list pay for the scan for one already in it.
  for (var slot = 0u; slot < ${k}u; slot++) {
    if (bestIndex[slot] == candidate) { return; }
  }
  var slot = last;
  while (slot > 0u && (bestDistance[slot - 1u] > distance || (bestDistance[slot - 1u] == distance && bestIndex[slot - 1u] > candidate))) {
    bestDistance[slot] = bestDistance[slot - 1u];
    bestIndex[slot] = bestIndex[slot - 1u];
    slot--;
  }
  bestDistance[slot] = distance;
  bestIndex[slot] = candidate;
  changed++;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  own = id.x;
  if (own >= settings.n) { return; }
  state = settings.seed ^ (own * 2654435761u);
  changed = 0u;
  let row = own * ${k}u;
  for (var slot = 0u; slot < ${k}u; slot++) {
    if (settings.fromScratch == 1u) {
      bestDistance[slot] = 3.4e38;
      bestIndex[slot] = 0xffffffffu;
    } else {
      bestDistance[slot] = previousDistances[row + slot];
      bestIndex[slot] = previousIndices[row + slot];
    }
  }
  if (settings.fromScratch == 1u) {
    for (var draw = 0u; draw < ${2 * k}u; draw++) { consider(nextRandom() % settings.n); }
    // The next k points fill any slot the random draws left empty, so every list is full.
    for (var step = 1u; step <= ${k}u; step++) { consider((own + step) % settings.n); }
  } else {
    for (var slot = 0u; slot < ${k}u; slot++) {
      let neighbour = previousIndices[row + slot];
      if (neighbour >= settings.n) { continue; }
      let start = nextRandom() % ${k}u;
      for (var taken = 0u; taken < settings.perNeighbour; taken++) {
        consider(previousIndices[neighbour * ${k}u + (start + taken) % ${k}u]);
      }
    }
    for (var draw = 0u; draw < settings.randomCandidates; draw++) { consider(nextRandom() % settings.n); }
  }
  for (var slot = 0u; slot < ${k}u; slot++) {
    indices[row + slot] = bestIndex[slot];
    distances[row + slot] = bestDistance[slot];
  }
  if (changed > 0u) { atomicAdd(&changes[0], changed); }
}
`;
}

/**
 * Finds approximately the k nearest other points of every row of `points` (squared Euclidean
 * distance) by nearest-neighbour descent on the GPU. The lists start from random points. Each
 * round then tries entries of the neighbours' lists and a few random points, until a round
 * changes fewer than tolerance × n × k entries or `maxRounds` is reached. Cost per round is
 * O(n · k · perNeighbour · d), against O(n² · d) for {@link kNearestNeighbours}, so it pays off
 * from a few thousand points. Recall depends on the data: high on activations of low intrinsic
 * dimension, lower on isotropic noise. The point itself is never its own neighbour.
 */
export async function approximateNearestNeighbours(
  context: KernelContext,
  points: Matrix,
  k: number,
  options: NnDescentOptions = {},
): Promise<ApproximateNeighbours> {
  checkKernelMatrix("kNN points", points);
  const { rows: n, columns: d } = points;
  checkNeighbourCount(k, n);
  const maxRounds = options.maxRounds ?? 12;
  const perNeighbour = Math.min(k, options.perNeighbour ?? Math.min(8, Math.max(2, Math.ceil(128 / k))));
  const randomCandidates = options.randomCandidates ?? 8;
  const tolerance = options.tolerance ?? 0.001;
  const seed = (options.seed ?? 0) >>> 0;

  return context.scoped(async (scope) => {
    // Rows padded with zeros to a multiple of 4 columns, read as vec4: a quarter of the loads.
    const width = Math.ceil(d / 4);
    const data = scope.buffer(n * width * 16, padColumns(points.data, n, d, width * 4));
    const lists = [0, 1].map(() => ({ indices: scope.buffer(n * k * 4), distances: scope.buffer(n * k * 4) }));
    const changes = scope.buffer(4);
    const code = refineShader(k);
    let rounds = 0;
    // Round 0 fills the lists from random points, and later rounds refine them.
    for (let round = 0; round <= maxRounds; round++) {
      const previous = lists[round % 2]!;
      const next = lists[(round + 1) % 2]!;
      scope.device.queue.writeBuffer(changes, 0, new Uint32Array([0]));
      const settings = new Uint32Array([n, width, hashSeed(seed, round), round === 0 ? 1 : 0, perNeighbour, randomCandidates]);
      scope.dispatch(code, [data, previous.indices, previous.distances, next.indices, next.distances, changes, scope.uniform(settings)], [Math.ceil(n / 64)]);
      const [changed] = await scope.readUint32(changes, 1);
      rounds = round;
      if (round > 0 && changed! < tolerance * n * k) break;
    }
    const result = lists[(rounds + 1) % 2]!;
    const indices = await scope.readUint32(result.indices, n * k);
    const missing = indices.indexOf(0xffffffff);
    if (missing >= 0) {
      throw new Error(`webgpu kernel: approximate kNN left point ${Math.floor(missing / k)} with fewer than ${k} neighbours (use exact kNN for so few points)`);
    }
    return { k, indices, distances: await scope.readFloat32(result.distances, n * k), rounds };
  });
}

function padColumns(data: Float32Array, rows: number, columns: number, padded: number): Float32Array {
  if (padded === columns) return data;
  const result = new Float32Array(rows * padded);
  for (let i = 0; i < rows; i++) result.set(data.subarray(i * columns, (i + 1) * columns), i * padded);
  return result;
}

/** Mixes the seed and the round into the per-round seed of the shader's generator. */
function hashSeed(seed: number, round: number): number {
  let value = (seed ^ Math.imul(round + 1, 0x9e3779b9)) >>> 0;
  value = Math.imul(value ^ (value >>> 16), 0x85ebca6b) >>> 0;
  return (value ^ (value >>> 13)) >>> 0;
}
