import type { KernelContext } from "./context.ts";
import { checkKernelMatrix, type Matrix } from "./matrix.ts";
import { encodeTiledPairs } from "./tiledPairs.ts";

/** Largest k the selection kernel keeps in registers. */
export const maxNeighbours = 128;

/**
 * Default bytes of one block of query × point distances. Query rows are processed in blocks so that
 * 50,000 points need a 64 MiB buffer, not a 10 GB n × n matrix.
 */
const defaultBlockBytes = 64 * 1024 * 1024;

/**
 * WGSL: one invocation per query row scans its row of the distance block and keeps the k
 * smallest by insertion into a sorted private list. It skips the query point itself, and of
 * equal distances it keeps the lower index first, so duplicate points give a stable order.
 */
function selectShader(k: number): string {
  return /* wgsl */ `
struct Shape { queries: u32, points: u32, firstQuery: u32 }
@group(0) @binding(0) var<storage, read> distances: array<f32>;
@group(0) @binding(1) var<storage, read_write> indices: array<u32>;
@group(0) @binding(2) var<storage, read_write> nearest: array<f32>;
@group(0) @binding(3) var<uniform> shape: Shape;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let query = id.x;
  if (query >= shape.queries) { return; }
  let own = shape.firstQuery + query;
  var bestDistance: array<f32, ${k}>;
  var bestIndex: array<u32, ${k}>;
  for (var slot = 0u; slot < ${k}u; slot++) {
    bestDistance[slot] = 3.4e38;
    bestIndex[slot] = 0xffffffffu;
  }
  for (var point = 0u; point < shape.points; point++) {
    if (point == own) { continue; }
    let distance = distances[query * shape.points + point];
    if (distance >= bestDistance[${k - 1}u]) { continue; }
    var slot = ${k - 1}u;
    while (slot > 0u && bestDistance[slot - 1u] > distance) {
      bestDistance[slot] = bestDistance[slot - 1u];
      bestIndex[slot] = bestIndex[slot - 1u];
      slot--;
    }
    bestDistance[slot] = distance;
    bestIndex[slot] = point;
  }
  for (var slot = 0u; slot < ${k}u; slot++) {
    indices[own * ${k}u + slot] = bestIndex[slot];
    nearest[own * ${k}u + slot] = bestDistance[slot];
  }
}
`;
}

/** Throws unless k is a whole number from 1 to min(n − 1, {@link maxNeighbours}). */
export function checkNeighbourCount(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1 || k > Math.min(maxNeighbours, n - 1)) {
    throw new Error(
      `webgpu kernel: invalid kNN k: ${k} (expected a whole number from 1 to ${Math.min(maxNeighbours, n - 1)}, below the ${n} points and at most ${maxNeighbours})`,
    );
  }
}

export interface Neighbours {
  k: number;
  /** Row-major n × k indices of each point's nearest other points, nearest first. */
  indices: Uint32Array;
  /** Row-major n × k squared Euclidean distances matching `indices`. */
  distances: Float32Array;
}

/**
 * Finds the k nearest other points of every row of `points` by exact squared Euclidean
 * distance. The point itself is never its own neighbour, even when duplicates exist. Cost is
 * O(n² · d) on the GPU in blocks of query rows whose distances fit in `blockBytes` (64 MiB).
 */
export async function kNearestNeighbours(
  context: KernelContext,
  points: Matrix,
  k: number,
  options: { blockBytes?: number } = {},
): Promise<Neighbours> {
  checkKernelMatrix("kNN points", points);
  const { rows: n, columns: d } = points;
  checkNeighbourCount(k, n);
  return context.scoped(async (scope) => {
    const all = scope.buffer(points.data.byteLength, points.data);
    const indices = scope.buffer(n * k * 4);
    const nearest = scope.buffer(n * k * 4);
    const blockBytes = options.blockBytes ?? defaultBlockBytes;
    const blockRows = Math.max(1, Math.min(n, Math.floor(blockBytes / (n * 4))));
    const block = scope.buffer(blockRows * d * 4);
    // One distance buffer serves every block, so memory stays at one block whatever n is.
    const distances = scope.buffer(blockRows * n * 4);
    const code = selectShader(k);
    for (let first = 0; first < n; first += blockRows) {
      const queries = Math.min(blockRows, n - first);
      scope.copy(all, first * d * 4, block, queries * d * 4);
      encodeTiledPairs(scope, "squaredDifference", "rows", block, all, { depth: d, a: queries, b: n }, distances);
      const shape = scope.uniform(new Uint32Array([queries, n, first]));
      scope.dispatch(code, [distances, indices, nearest, shape], [Math.ceil(queries / 64)]);
      // Submitting per block keeps each command buffer short.
      scope.submit();
    }
    return { k, indices: await scope.readUint32(indices, n * k), distances: await scope.readFloat32(nearest, n * k) };
  });
}
