import { InputError } from "../errors.ts";
import { createRandom, type Seed } from "../random.ts";
import { checkInteger, checkMatrix } from "./checks.ts";
import { createGaussian } from "./gaussian.ts";
import { pca } from "./pca.ts";
import { jointProbabilities } from "./tsneAffinities.ts";
import { computeGradient } from "./tsneGradient.ts";

export interface TsneOptions {
  /** Effective number of neighbours. Default 30, lowered to max(1, (n − 1) / 3) for small n. */
  perplexity?: number;
  /** Gradient descent iterations. Default 1000 from a random start, 300 from `init`. */
  iterations?: number;
  /** Step size of gradient descent. Default n / 48, see {@link defaultLearningRate}. */
  learningRate?: number;
  /** Seed of the random start and of the PCA. Default 0. */
  seed?: Seed;
  /**
   * n × 2 starting layout, row-major, usually the previous epoch's output. It replaces the
   * random start and turns off early exaggeration. It is used as given, so it should have
   * the scale of a t-SNE output.
   */
  init?: Float32Array;
}

export interface TsneProgress {
  /** Iterations completed, 0 once the affinities are ready. */
  iteration: number;
  iterations: number;
}

/** Dimensions kept by the PCA applied before t-SNE when the input has more. */
export const tsnePcaDimensions = 50;

// Schedule of scikit-learn 0.20's TSNE (early exaggeration 12 for 250 of 1000 iterations)
// and of the 2008 paper (momentum 0.5, then 0.8, and the gains rule).
export const exaggeration = 12;
export const maxExaggerationIterations = 250;
export const earlyMomentum = 0.5;
export const lateMomentum = 0.8;
const minGain = 0.01;
/** Standard deviation of the random start. The 2008 paper samples the start from N(0, 10⁻⁴·I). */
export const initialSpread = 1e-2;

/**
 * Runs exact t-SNE (van der Maaten and Hinton 2008, "Visualizing Data using t-SNE") on n
 * points of d dimensions, given row-major in `data`. When d > 50 the rows are first
 * reduced to 50 dimensions by PCA. Yields progress after the affinities and after every
 * iteration, and returns the centred n × 2 layout, row-major.
 * Time is O(n²) per iteration and memory is two n × n Float64Arrays (32 MB each at n = 2000).
 */
export function* iterateTsne(
  data: Float32Array,
  n: number,
  d: number,
  options: TsneOptions = {},
): Generator<TsneProgress, Float32Array, void> {
  checkMatrix("t-SNE data", data, n, d);
  const { perplexity, iterations, learningRate } = resolveOptions(n, options);
  if (options.init) checkMatrix("t-SNE init", options.init, n, 2);

  const points = reduceDimensions(data, n, d, options.seed ?? 0);
  const reducedDimensions = points.length / n;
  const p = jointProbabilities(points, n, reducedDimensions, perplexity);
  yield { iteration: 0, iterations };

  const y = new Float64Array(2 * n);
  if (options.init) {
    y.set(options.init);
  } else {
    const gaussian = createGaussian(createRandom(options.seed ?? 0));
    for (let i = 0; i < y.length; i++) y[i] = gaussian() * initialSpread;
  }
  centre(y);

  const freshStart = options.init === undefined;
  const exaggerationIterations = freshStart ? Math.min(maxExaggerationIterations, Math.floor(iterations / 4)) : 0;
  const kernel = new Float64Array(n * n);
  const gradient = new Float64Array(2 * n);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);

  for (let iteration = 0; iteration < iterations; iteration++) {
    const early = iteration < exaggerationIterations;
    computeGradient(y, p, n, early ? exaggeration : 1, kernel, gradient);
    const momentum = early ? earlyMomentum : lateMomentum;
    for (let c = 0; c < y.length; c++) {
      const g = gradient[c]!;
      // Gains grow while the gradient keeps pointing the way the point already moves.
      const gain = g > 0 !== update[c]! > 0 ? gains[c]! + 0.2 : gains[c]! * 0.8;
      gains[c] = Math.max(gain, minGain);
      update[c] = momentum * update[c]! - learningRate * gains[c]! * g;
      y[c]! += update[c]!;
    }
    centre(y);
    yield { iteration: iteration + 1, iterations };
  }
  return Float32Array.from(y);
}

/** Runs {@link iterateTsne} to the end and returns the centred n × 2 layout. */
export function computeTsne(data: Float32Array, n: number, d: number, options: TsneOptions = {}): Float32Array {
  const steps = iterateTsne(data, n, d, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export function resolveOptions(n: number, options: TsneOptions): { perplexity: number; iterations: number; learningRate: number } {
  const requested = options.perplexity ?? 30;
  if (!Number.isFinite(requested) || requested < 1) {
    throw new InputError(`invalid t-SNE perplexity: ${requested} (expected a number of at least 1, such as 30)`, {
      field: "perplexity",
      value: String(requested),
    });
  }
  const iterations = options.iterations ?? (options.init ? 300 : 1000);
  checkInteger("t-SNE iterations", iterations, 0);
  const learningRate = options.learningRate ?? defaultLearningRate(n);
  if (!Number.isFinite(learningRate) || learningRate <= 0) {
    throw new InputError(`invalid t-SNE learningRate: ${learningRate} (expected a number above 0, such as n / 48)`, {
      field: "learningRate",
      value: String(learningRate),
    });
  }
  // A perplexity near n − 1 would make every other point an equal neighbour, which the
  // binary search cannot reach. A third of n − 1 still leaves some structure.
  const perplexity = Math.min(requested, Math.max(1, (n - 1) / 3));
  return { perplexity, iterations, learningRate };
}

/**
 * Returns n / 48, that is n / (4 · early exaggeration): the rule "learning rate = n /
 * exaggeration", divided by the factor 4 that this gradient carries. On 120, 400 and 1000
 * points in 30 dimensions (10 clusters, seed 4) it reached a KL divergence at iteration 1000
 * lower than or equal to fixed rates of 50 and 200, and a continued run left the layout in
 * place. With 50 or 200, 120 points overshot during early exaggeration and still
 * oscillated at iteration 1000.
 */
export function defaultLearningRate(n: number): number {
  return n / (4 * exaggeration);
}

function reduceDimensions(data: Float32Array, n: number, d: number, seed: Seed): Float64Array {
  if (d <= tsnePcaDimensions) return Float64Array.from(data);
  const components = Math.min(tsnePcaDimensions, n);
  return Float64Array.from(pca(data, n, d, { components, seed }).scores);
}

function centre(y: Float64Array): void {
  const n = y.length / 2;
  let x = 0;
  let z = 0;
  for (let i = 0; i < n; i++) {
    x += y[2 * i]!;
    z += y[2 * i + 1]!;
  }
  x /= n;
  z /= n;
  for (let i = 0; i < n; i++) {
    y[2 * i]! -= x;
    y[2 * i + 1]! -= z;
  }
}
