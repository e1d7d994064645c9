import { UMAP } from "umap-js";
import { InputError } from "../errors.ts";
import { createRandom, type Seed } from "../random.ts";
import { checkInteger, checkMatrix } from "./checks.ts";
import { pca } from "./pca.ts";
import { alignProcrustes } from "./procrustes.ts";
import { iterateTsne, tsnePcaDimensions } from "./tsne.ts";

/** t-SNE iterations of each epoch after the first, which starts from the previous epoch's layout. */
export const alignedTsneIterations = 300;

/**
 * UMAP epochs of each training epoch after the first on the GPU, which starts from the previous
 * layout, and their initial learning rate (decaying to 0). At umap-js's rate of 1, the negative
 * samples scatter a layout started from the previous one as far as a random start would. At 0.1
 * over 100 epochs, points whose activations did not change moved about a third as far in
 * tests/unit/gpu/projectRun.test.ts (60 Gaussian points). There, when half the points moved away
 * in the activations, the next layout still split them apart.
 */
export const alignedUmapEpochs = 100;
export const alignedUmapLearningRate = 0.1;

export interface ProjectionOptions {
  seed: Seed;
  method: "tsne" | "umap";
  /** t-SNE perplexity, default 30. */
  perplexity?: number;
  /** t-SNE iterations for epoch 0, default 1000. */
  iterations?: number;
  /** t-SNE iterations for each later epoch, started from the previous layout. Default 300. */
  alignedIterations?: number;
  /** UMAP neighbourhood size, default 15 (lowered to n − 1 for small n). */
  neighbours?: number;
  /** Milliseconds of computation between two returns to the event loop. Default 30. */
  sliceMilliseconds?: number;
}

export type ProjectionEvent =
  | {
      type: "progress";
      /** Epoch being projected, 0-based. */
      epoch: number;
      epochs: number;
      iteration: number;
      iterations: number;
      /** Share of all epochs' work completed, 0 to 1. */
      fraction: number;
    }
  | {
      type: "done";
      /** One centred n × 2 layout per epoch, row-major, each aligned to the previous one. */
      layouts: Float32Array[];
    };

/**
 * Projects the activations recorded at each epoch (n × d each, row-major) to 2-D.
 * With t-SNE, epoch k starts from epoch k − 1's layout, so points move only as far as the
 * activations changed. Every layout after the first is then rotated, and reflected if that
 * fits better, onto the previous one by orthogonal Procrustes analysis, which removes the
 * arbitrary orientation of UMAP and t-SNE outputs.
 * Yields progress while computing, returning to the event loop every `sliceMilliseconds`
 * so that a page stays responsive, and yields `{ type: "done" }` last.
 */
export async function* projectEpochs(
  activationsPerEpoch: Float32Array[],
  n: number,
  d: number,
  options: ProjectionOptions,
): AsyncGenerator<ProjectionEvent, void, void> {
  if (activationsPerEpoch.length === 0) {
    throw new InputError("missing activations: activationsPerEpoch is empty (expected one n × d array per epoch)", {
      field: "activationsPerEpoch",
    });
  }
  if (options.method !== "tsne" && options.method !== "umap") {
    throw new InputError(`invalid projection method: ${JSON.stringify(options.method)} (expected "tsne" or "umap")`, {
      field: "method",
      value: String(options.method),
    });
  }
  activationsPerEpoch.forEach((activations, epoch) => checkMatrix(`activations of epoch ${epoch}`, activations, n, d));
  const sliceMilliseconds = options.sliceMilliseconds ?? 30;

  const epochs = activationsPerEpoch.length;
  const layouts: Float32Array[] = [];
  let sliceStart = performance.now();

  for (let epoch = 0; epoch < epochs; epoch++) {
    const activations = activationsPerEpoch[epoch]!;
    const previous = layouts[epoch - 1];
    const steps = projectEpoch(activations, n, d, options, previous);

    let layout: Float32Array | undefined;
    for (;;) {
      const next = steps.next();
      if (next.done) {
        layout = next.value;
        break;
      }
      if (performance.now() - sliceStart >= sliceMilliseconds) {
        const { iteration, iterations } = next.value;
        const fraction = (epoch + (iterations > 0 ? iteration / iterations : 1)) / epochs;
        yield { type: "progress", epoch, epochs, iteration, iterations, fraction };
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    layouts.push(layout);
  }
  yield { type: "done", layouts };
}

/**
 * Projects one epoch's activations: t-SNE starts from the previous epoch's layout, and
 * either method's result is aligned onto it by Procrustes. Yields progress per iteration.
 */
export function* projectEpoch(
  activations: Float32Array,
  n: number,
  d: number,
  options: ProjectionOptions,
  previous: Float32Array | undefined,
): Generator<{ iteration: number; iterations: number }, Float32Array, void> {
  const steps = options.method === "tsne" ? tsneSteps(activations, n, d, options, previous) : umapSteps(activations, n, d, options);
  const layout = yield* steps;
  return previous ? alignProcrustes(layout, previous).aligned : layout;
}

function tsneSteps(
  activations: Float32Array,
  n: number,
  d: number,
  options: ProjectionOptions,
  previous: Float32Array | undefined,
): Generator<{ iteration: number; iterations: number }, Float32Array, void> {
  return iterateTsne(activations, n, d, {
    seed: options.seed,
    perplexity: options.perplexity,
    iterations: previous ? (options.alignedIterations ?? alignedTsneIterations) : (options.iterations ?? 1000),
    init: previous,
  });
}

/**
 * Runs umap-js (version 1.4) with a seeded generator, after the same PCA as t-SNE when d > 50.
 * NOTE: umap-js cannot start from a given layout, so every epoch starts from uniform random
 * positions. Epochs are therefore projected independently, and only the Procrustes step in
 * projectEpochs lines them up, so points can move between epochs even where the activations
 * did not change.
 */
function* umapSteps(
  activations: Float32Array,
  n: number,
  d: number,
  options: ProjectionOptions,
): Generator<{ iteration: number; iterations: number }, Float32Array, void> {
  const neighbours = Math.min(options.neighbours ?? 15, n - 1);
  checkInteger("UMAP neighbours", neighbours, 2);

  const reduced = d > tsnePcaDimensions ? pca(activations, n, d, { components: Math.min(tsnePcaDimensions, n), seed: options.seed }) : undefined;
  const width = reduced ? reduced.scores.length / n : d;
  const source = reduced ? reduced.scores : activations;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(source.subarray(i * width, (i + 1) * width)));

  const umap = new UMAP({ nComponents: 2, nNeighbors: neighbours, random: createRandom(options.seed) });
  const iterations = umap.initializeFit(rows);
  yield { iteration: 0, iterations };
  for (let iteration = 0; iteration < iterations; iteration++) {
    umap.step();
    yield { iteration: iteration + 1, iterations };
  }

  const embedding = umap.getEmbedding();
  const layout = new Float32Array(2 * n);
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += embedding[i]![0]! / n;
    meanY += embedding[i]![1]! / n;
  }
  for (let i = 0; i < n; i++) {
    layout[2 * i] = embedding[i]![0]! - meanX;
    layout[2 * i + 1] = embedding[i]![1]! - meanY;
  }
  return layout;
}

/** Waits for a macrotask, so rendering and input events run before the next slice. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
