import type { KernelContext } from "../../gpu/kernels/context.ts";
import { kNearestNeighbours, maxNeighbours } from "../../gpu/kernels/knn.ts";
import { conditionalAffinities } from "../../gpu/kernels/tsneAffinities.ts";
import { TsneLayout } from "../../gpu/kernels/tsneLayout.ts";
import { createRandom } from "../random.ts";
import { checkMatrix } from "./checks.ts";
import { createGaussian } from "./gaussian.ts";
import {
  earlyMomentum,
  exaggeration,
  initialSpread,
  lateMomentum,
  maxExaggerationIterations,
  resolveOptions,
  type TsneOptions,
  type TsneProgress,
} from "./tsne.ts";
import { symmetriseAffinities } from "./tsneSparseAffinities.ts";

/** Iterations run between two progress reports. */
const iterationsPerReport = 25;

/**
 * Runs t-SNE on the GPU with the CPU version's schedule, options and defaults (see
 * {@link TsneOptions}), but on sparse affinities. P comes from each point's 3 × perplexity
 * nearest neighbours (at most 128), found exactly on the GPU in all d dimensions, with no PCA
 * first. The perplexity search runs on the GPU and the symmetrisation on the CPU. The
 * repulsion is exact, O(n²) per iteration. Yields progress every 25 iterations and returns the
 * centred n × 2 layout. The GPU buffers are freed when the generator finishes or is closed early.
 */
export async function* iterateGpuTsne(
  context: KernelContext,
  data: Float32Array,
  n: number,
  d: number,
  options: TsneOptions = {},
): AsyncGenerator<TsneProgress, Float32Array, void> {
  checkMatrix("t-SNE data", data, n, d);
  const { perplexity, iterations, learningRate } = resolveOptions(n, options);
  if (options.init) checkMatrix("t-SNE init", options.init, n, 2);
  if (n === 1) return new Float32Array(2);

  const k = Math.min(maxNeighbours, n - 1, Math.max(1, Math.floor(3 * perplexity)));
  const neighbours = await kNearestNeighbours(context, { data, rows: n, columns: d }, k);
  const conditional = await conditionalAffinities(context, neighbours.distances, n, k, perplexity);
  const affinities = symmetriseAffinities(neighbours.indices, conditional, n, k);
  yield { iteration: 0, iterations };

  let initial = options.init;
  if (!initial) {
    const gaussian = createGaussian(createRandom(options.seed ?? 0));
    initial = new Float32Array(2 * n).map(() => gaussian() * initialSpread);
  }
  const exaggerationIterations = options.init ? 0 : Math.min(maxExaggerationIterations, Math.floor(iterations / 4));
  const layout = new TsneLayout(context, affinities, initial);
  try {
    let iteration = 0;
    while (iteration < iterations) {
      const early = iteration < exaggerationIterations;
      // A report never spans the end of early exaggeration, so every step gets its own settings.
      const end = Math.min(iterations, iteration + iterationsPerReport, early ? exaggerationIterations : iterations);
      await layout.step({ exaggeration: early ? exaggeration : 1, momentum: early ? earlyMomentum : lateMomentum, learningRate }, end - iteration);
      iteration = end;
      yield { iteration, iterations };
    }
    return await layout.read();
  } finally {
    layout.dispose();
  }
}

/** Runs {@link iterateGpuTsne} to the end and returns the centred n × 2 layout. */
export async function computeGpuTsne(context: KernelContext, data: Float32Array, n: number, d: number, options: TsneOptions = {}): Promise<Float32Array> {
  const steps = iterateGpuTsne(context, data, n, d, options);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}
