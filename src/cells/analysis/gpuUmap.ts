import type { KernelContext } from "../../gpu/kernels/context.ts";
import { maxNeighbours } from "../../gpu/kernels/knn.ts";
import { UmapLayout } from "../../gpu/kernels/umapLayout.ts";
import { createRandom, type Seed } from "../random.ts";
import { checkInteger, checkMatrix } from "./checks.ts";
import { fuzzyNeighbourGraph } from "./umapGraph.ts";
import { findNeighbours, type NeighbourSearch } from "./neighbourSearch.ts";

export interface GpuUmapOptions {
  /** Neighbourhood size counting the point itself, as umap-js counts it. Default 15, lowered to n for small n. */
  neighbours?: number;
  /** Epochs of gradient descent. Default as umap-js 1.4: 500 up to 2,500 points, 400 up to 5,000, 300 up to 7,500, then 200. */
  epochs?: number;
  /** Seed of the random start and of the negative sampling. Default 0. */
  seed?: Seed;
  /** n × 2 starting layout, row-major, usually the previous epoch's output; replaces the random start. */
  init?: Float32Array;
  /** Nearest-neighbour search. Default "auto": exact below `approximateFrom` points, descent above. */
  neighbourSearch?: NeighbourSearch;
  /** Learning rate of the first epoch, decaying linearly to 0 by the last. Default 1, as umap-js; lower keeps a layout from `init` closer to it. */
  learningRate?: number;
}

/** Epochs run between two progress reports. */
const epochsPerReport = 25;

/**
 * Runs UMAP on the GPU: k nearest neighbours on the GPU (exact, or by nearest-neighbour descent
 * from `approximateFrom` points), the fuzzy graph on the CPU
 * ({@link fuzzyNeighbourGraph}), then the synchronous GPU epochs of {@link UmapLayout}. It
 * starts from uniform random positions in [−10, 10]², like umap-js, or from `init`, so that
 * each training epoch's projection can continue from the previous one. Yields progress every
 * 25 epochs and returns the centred n × 2 layout. The GPU buffers are freed when the generator
 * finishes or is closed early.
 */
export async function* iterateGpuUmap(
  context: KernelContext,
  data: Float32Array,
  n: number,
  d: number,
  options: GpuUmapOptions = {},
): AsyncGenerator<{ iteration: number; iterations: number }, Float32Array, void> {
  checkMatrix("UMAP data", data, n, d);
  if (options.init) checkMatrix("UMAP init", options.init, n, 2);
  const epochs = options.epochs ?? defaultEpochs(n);
  checkInteger("UMAP epochs", epochs, 1);
  if (n < 3) return new Float32Array(2 * n);
  const k = Math.min(maxNeighbours, n - 1, (options.neighbours ?? 15) - 1);
  checkInteger("UMAP neighbours", k + 1, 2);

  const searchSeed = Math.floor(createRandom(`${options.seed ?? 0}/sampling`)() * 2 ** 32);
  const neighbours = await findNeighbours(context, { data, rows: n, columns: d }, k, options.neighbourSearch ?? "auto", searchSeed);
  const graph = fuzzyNeighbourGraph(neighbours.indices, neighbours.distances, n, k, epochs);
  yield { iteration: 0, iterations: epochs };

  const random = createRandom(options.seed ?? 0);
  const initial = options.init ? Float32Array.from(options.init) : new Float32Array(2 * n).map(() => random() * 20 - 10);
  const seed = Math.floor(random() * 2 ** 32);
  const layout = new UmapLayout(context, graph, initial, { seed });
  try {
    for (let epoch = 0; epoch < epochs; epoch += epochsPerReport) {
      const end = Math.min(epochs, epoch + epochsPerReport);
      await layout.epochs(epoch, end, epochs, options.learningRate);
      yield { iteration: end, iterations: epochs };
    }
    return centre(await layout.read());
  } finally {
    layout.dispose();
  }
}

/** Runs {@link iterateGpuUmap} to the end and returns the centred n × 2 layout. */
export async function computeGpuUmap(context: KernelContext, data: Float32Array, n: number, d: number, options: GpuUmapOptions = {}): Promise<Float32Array> {
  const steps = iterateGpuUmap(context, data, n, d, options);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}

function defaultEpochs(n: number): number {
  if (n <= 2500) return 500;
  if (n <= 5000) return 400;
  if (n <= 7500) return 300;
  return 200;
}

function centre(layout: Float32Array): Float32Array {
  const n = layout.length / 2;
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += layout[2 * i]! / n;
    y += layout[2 * i + 1]! / n;
  }
  for (let i = 0; i < n; i++) {
    layout[2 * i]! -= x;
    layout[2 * i + 1]! -= y;
  }
  return layout;
}
