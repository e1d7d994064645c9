import { checkMatrix } from "./checks.ts";
import { InputError } from "../errors.ts";

export interface LogisticRegressionOptions {
  /** L2 penalty on the weights (not the bias), per row: the loss is mean log-loss + l2·‖w‖²/2. Default 1e-3. */
  l2?: number;
  /** Full-batch gradient steps. Default 300. */
  iterations?: number;
}

/** A binary linear classifier on standardised features: p(y = 1 | x) = σ(w·z + bias), z = (x − mean) / scale. */
export interface LogisticModel {
  /** Weights on the standardised features, so their magnitudes are comparable across features. */
  weights: Float64Array;
  bias: number;
  mean: Float64Array;
  /** Standard deviation of each feature, or 1 for a constant feature (min = max). */
  scale: Float64Array;
}

/**
 * Fits L2-regularised logistic regression to rows of `x` (n × d, row-major) with labels 0 or 1,
 * by gradient descent with Nesterov momentum from zero weights. The step is 1 / L, where
 * L = λmax([Z 1]ᵀ[Z 1]) / 4n + l2 bounds the curvature of the loss; λmax comes from power iteration.
 * Deterministic: the same input gives the same model.
 */
export function fitLogisticRegression(x: Float32Array, n: number, d: number, labels: ArrayLike<number>, options: LogisticRegressionOptions = {}): LogisticModel {
  checkMatrix("classifier features", x, n, d);
  if (labels.length !== n) {
    throw new InputError(`invalid classifier labels length: ${labels.length} (expected one label per row, ${n})`, { field: "labels", value: String(labels.length) });
  }
  const l2 = options.l2 ?? 1e-3;
  const iterations = options.iterations ?? 300;
  const { mean, scale } = featureScaling(x, n, d);
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = (x[i * d + j]! - mean[j]!) / scale[j]!;

  // The columns of Z are centred, so they are orthogonal to the bias column of ones, and the
  // augmented [Z 1] has largest eigenvalue max(λmax(ZᵀZ), n).
  const step = 1 / (Math.max(largestEigenvalue(z, n, d), n) / (4 * n) + l2);
  const weights = new Float64Array(d + 1); // last entry is the bias
  const previous = new Float64Array(d + 1);
  const lookahead = new Float64Array(d + 1);
  const gradient = new Float64Array(d + 1);
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const momentum = (iteration - 1) / (iteration + 2);
    for (let j = 0; j <= d; j++) lookahead[j] = weights[j]! + momentum * (weights[j]! - previous[j]!);
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      const residual = sigmoid(dot(lookahead, z, i, d)) - labels[i]!;
      for (let j = 0; j < d; j++) gradient[j]! += residual * z[i * d + j]!;
      gradient[d]! += residual;
    }
    previous.set(weights);
    for (let j = 0; j <= d; j++) {
      const penalty = j < d ? l2 * lookahead[j]! : 0;
      weights[j] = lookahead[j]! - step * (gradient[j]! / n + penalty);
    }
  }
  return { weights: weights.slice(0, d), bias: weights[d]!, mean, scale };
}

/** Returns p(y = 1) for each row of `x` (n × d). */
export function predictProbabilities(model: LogisticModel, x: Float32Array, n: number): Float64Array {
  const d = model.weights.length;
  const probabilities = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = model.bias;
    for (let j = 0; j < d; j++) sum += model.weights[j]! * ((x[i * d + j]! - model.mean[j]!) / model.scale[j]!);
    probabilities[i] = sigmoid(sum);
  }
  return probabilities;
}

/**
 * Returns each feature's mean and standard deviation. A constant feature (min = max) gets its
 * value as mean and scale 1, so its standardised values are exactly 0 and it gets no weight;
 * a mean summed in floating point could differ from the value and leave noise to amplify.
 */
function featureScaling(x: Float32Array, n: number, d: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j]! += (x[i * d + j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) {
    let low = x[j]!;
    let high = x[j]!;
    for (let i = 1; i < n; i++) {
      low = Math.min(low, x[i * d + j]!);
      high = Math.max(high, x[i * d + j]!);
    }
    if (low === high) {
      mean[j] = low;
      scale[j] = 1;
    } else {
      scale[j] = Math.sqrt(scale[j]!);
    }
  }
  return { mean, scale };
}

/** Estimates the largest eigenvalue of ZᵀZ by 30 power iterations from a fixed start. */
function largestEigenvalue(z: Float64Array, n: number, d: number): number {
  let vector = new Float64Array(d).fill(1 / Math.sqrt(d));
  let value = 0;
  for (let iteration = 0; iteration < 30; iteration++) {
    const next = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let projection = 0;
      for (let j = 0; j < d; j++) projection += z[i * d + j]! * vector[j]!;
      for (let j = 0; j < d; j++) next[j]! += projection * z[i * d + j]!;
    }
    let squares = 0;
    for (const entry of next) squares += entry * entry;
    value = Math.sqrt(squares);
    if (value === 0) return 0;
    vector = next.map((entry) => entry / value);
  }
  return value;
}

function dot(weights: Float64Array, z: Float64Array, row: number, d: number): number {
  let sum = weights[d]!;
  for (let j = 0; j < d; j++) sum += weights[j]! * z[row * d + j]!;
  return sum;
}

function sigmoid(value: number): number {
  return value >= 0 ? 1 / (1 + Math.exp(-value)) : Math.exp(value) / (1 + Math.exp(value));
}
