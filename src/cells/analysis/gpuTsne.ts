import type { KernelContext } from "../../gpu/kernels/context.ts";
import { maxNeighbours } from "../../gpu/kernels/knn.ts";
import { conditionalAffinities } from "../../gpu/kernels/tsneAffinities.ts";
import { TsneLayout } from "../../gpu/kernels/tsneLayout.ts";
import { createRandom } from "../random.ts";
import { checkInteger, checkMatrix } from "./checks.ts";
import { InputError } from "../errors.ts";
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
import { approximateFrom, findNeighbours, type NeighbourSearch } from "./neighbourSearch.ts";

export interface GpuTsneOptions extends TsneOptions {
  /** Nearest-neighbour search for P. Default "auto": exact below {@link approximateFrom} points. */
  neighbourSearch?: NeighbourSearch;
  /**
   * Repulsion. "exact" sums over all n points per point, O(n²) per iteration. "sampled" sums
   * exactly over each point's neighbours and estimates the rest from `repulsionSamples` random
   * points. Default "auto", which samples from {@link sampledRepulsionFrom} points.
   */
  repulsion?: "exact" | "sampled" | "auto";
  /** Far-field points per point and iteration of the sampled repulsion. Default 512. */
  repulsionSamples?: number;
}

/**
 * Point count from which "auto" samples the repulsion. On SwiftShader (2-core VM) at 6,000
 * points, 10 iterations took 17 s exact and 22 s sampled (512 draws, rows of 165 neighbours):
 * the exact cost grows with n², the sampled one with n.
 */
export const sampledRepulsionFrom = 8000;

/** Iterations run between two progress reports. */
const iterationsPerReport = 25;

/**
 * Runs t-SNE on the GPU with the CPU version's schedule, options and defaults (see
 * {@link TsneOptions}), but on sparse affinities. P comes from each point's 3 × perplexity
 * nearest neighbours (at most 128), found on the GPU in all d dimensions with no PCA first:
 * exactly for small n, by nearest-neighbour descent for large n. The perplexity search runs on
 * the GPU and the symmetrisation on the CPU. The repulsion is exact, O(n²) per iteration, for
 * small n and sampled for large n (see {@link GpuTsneOptions}). Yields progress every 25
 * iterations and returns the centred n × 2 layout. The GPU buffers are freed when the generator
 * finishes or is closed early.
 */
export async function* iterateGpuTsne(
  context: KernelContext,
  data: Float32Array,
  n: number,
  d: number,
  options: GpuTsneOptions = {},
): AsyncGenerator<TsneProgress, Float32Array, void> {
  checkMatrix("t-SNE data", data, n, d);
  const { perplexity, iterations, learningRate } = resolveOptions(n, options);
  if (options.init) checkMatrix("t-SNE init", options.init, n, 2);
  if (n === 1) return new Float32Array(2);

  const k = Math.min(maxNeighbours, n - 1, Math.max(1, Math.floor(3 * perplexity)));
  // A stream of its own, so the seeded start stays the same whichever search and repulsion run.
  const streamSeed = Math.floor(createRandom(`${options.seed ?? 0}/sampling`)() * 2 ** 32);
  const neighbours = await findNeighbours(context, { data, rows: n, columns: d }, k, options.neighbourSearch ?? "auto", streamSeed);
  const conditional = await conditionalAffinities(context, neighbours.distances, n, k, perplexity);
  const affinities = symmetriseAffinities(neighbours.indices, conditional, n, k);
  yield { iteration: 0, iterations };

  let initial = options.init;
  if (!initial) {
    const gaussian = createGaussian(createRandom(options.seed ?? 0));
    initial = new Float32Array(2 * n).map(() => gaussian() * initialSpread);
  }
  const exaggerationIterations = options.init ? 0 : Math.min(maxExaggerationIterations, Math.floor(iterations / 4));
  const repulsion = options.repulsion ?? "auto";
  if (repulsion !== "exact" && repulsion !== "sampled" && repulsion !== "auto") {
    throw new InputError(`invalid t-SNE repulsion: ${JSON.stringify(repulsion)} (expected "exact", "sampled" or "auto")`, { field: "repulsion", value: String(repulsion) });
  }
  const sampled = repulsion === "sampled" || (repulsion === "auto" && n >= sampledRepulsionFrom);
  const samples = sampled ? (options.repulsionSamples ?? 512) : 0;
  if (sampled) checkInteger("t-SNE repulsion samples", samples, 1);
  const layout = new TsneLayout(context, affinities, initial, { samples, seed: streamSeed });
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
export async function computeGpuTsne(context: KernelContext, data: Float32Array, n: number, d: number, options: GpuTsneOptions = {}): Promise<Float32Array> {
  const steps = iterateGpuTsne(context, data, n, d, options);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}
