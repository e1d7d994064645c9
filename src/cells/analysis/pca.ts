import { createRandom, type Seed } from "../random.ts";
import { checkInteger, checkMatrix } from "./checks.ts";
import { createGaussian } from "./gaussian.ts";
import { symmetricEigen } from "./symmetricEigen.ts";

export interface PcaOptions {
  /** Number of principal components to keep, 1 to min(n, d). */
  components: number;
  /** Seed of the random start of the subspace iteration. Default 0. */
  seed?: Seed;
  /** Multiplications by XᵀX before the Rayleigh–Ritz step. Default 4. */
  powerIterations?: number;
}

export interface PcaResult {
  /** n × k coordinates of the centred rows on the components, row-major. */
  scores: Float32Array;
  /** k × d unit principal axes, row-major, by decreasing variance. */
  components: Float64Array;
  /** Variance along each component (divisor n − 1, or 1 when n = 1). */
  variances: Float64Array;
  /** Column means subtracted before projecting. */
  mean: Float64Array;
}

/** Columns added to the k requested, which makes the leading k converge faster. */
const oversampling = 10;

/**
 * Computes the leading principal components of an n × d matrix by randomized subspace
 * iteration (Halko, Martinsson and Tropp 2011, "Finding structure with randomness") followed by a Rayleigh–Ritz step on the covariance.
 * The result is exact when k + 10 ≥ d, because the subspace is then all of R^d.
 * Otherwise the accuracy depends on the gap after the k-th eigenvalue. Each power
 * iteration costs about 4·n·d·(k + 10) flops.
 * Each axis is signed so that its entry of largest magnitude is positive, which makes the
 * output independent of the random start up to rounding.
 */
export function pca(data: Float32Array, n: number, d: number, options: PcaOptions): PcaResult {
  checkMatrix("pca data", data, n, d);
  const k = options.components;
  checkInteger("pca components", k, 1, Math.min(n, d));
  const powerIterations = options.powerIterations ?? 4;
  checkInteger("pca powerIterations", powerIterations, 0, 100);

  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred[i * d + j] = data[i * d + j]! - mean[j]!;

  // The basis is stored as `width` vectors of length d, each contiguous.
  const width = Math.min(k + oversampling, d);
  const gaussian = createGaussian(createRandom(options.seed ?? 0));
  let basis: Float64Array = new Float64Array(width * d);
  for (let i = 0; i < basis.length; i++) basis[i] = gaussian();
  orthonormalise(basis, width, d, gaussian);
  for (let iteration = 0; iteration < powerIterations; iteration++) {
    basis = multiplyByGram(centred, n, d, basis, width);
    orthonormalise(basis, width, d, gaussian);
  }

  // Rayleigh–Ritz: diagonalise Bᵀ XᵀX B = (XB)ᵀ(XB) in the basis B.
  const projected = projectRows(centred, n, d, basis, width);
  const small = new Float64Array(width * width);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < width; a++) {
      const pa = projected[i * width + a]!;
      for (let b = a; b < width; b++) small[a * width + b]! += pa * projected[i * width + b]!;
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) small[a * width + b] = small[b * width + a]!;
  const eigen = symmetricEigen(small, width);

  const components = new Float64Array(k * d);
  const variances = new Float64Array(k);
  const divisor = Math.max(n - 1, 1);
  for (let c = 0; c < k; c++) {
    variances[c] = Math.max(eigen.values[c]!, 0) / divisor;
    const axis = components.subarray(c * d, (c + 1) * d);
    for (let a = 0; a < width; a++) {
      const weight = eigen.vectors[a * width + c]!;
      for (let j = 0; j < d; j++) axis[j]! += weight * basis[a * d + j]!;
    }
    orientAxis(axis);
  }

  const scores = Float32Array.from(projectRows(centred, n, d, components, k));
  return { scores, components, variances, mean };
}

/** Returns X·vectorᵀ for each of `count` vectors: an n × count matrix. */
function projectRows(x: Float64Array, n: number, d: number, vectors: Float64Array, count: number): Float64Array {
  const result = new Float64Array(n * count);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < count; a++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += x[i * d + j]! * vectors[a * d + j]!;
      result[i * count + a] = sum;
    }
  }
  return result;
}

/** Returns XᵀX·v for each of `count` vectors v, without forming the d × d matrix XᵀX. */
function multiplyByGram(x: Float64Array, n: number, d: number, vectors: Float64Array, count: number): Float64Array {
  const projected = projectRows(x, n, d, vectors, count);
  const result = new Float64Array(count * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < count; a++) {
      const weight = projected[i * count + a]!;
      if (weight === 0) continue;
      for (let j = 0; j < d; j++) result[a * d + j]! += weight * x[i * d + j]!;
    }
  }
  return result;
}

/**
 * Orthonormalises `count` contiguous vectors of length d in place by modified Gram–Schmidt,
 * run twice for stability. A vector that collapses (the data has rank < count) is replaced by
 * a fresh random one, so the basis always spans `count` dimensions. Requires count ≤ d.
 */
function orthonormalise(vectors: Float64Array, count: number, d: number, gaussian: () => number): void {
  for (let a = 0; a < count; a++) {
    const v = vectors.subarray(a * d, (a + 1) * d);
    for (let attempt = 0; ; attempt++) {
      const before = norm(v);
      for (let pass = 0; pass < 2; pass++) {
        for (let b = 0; b < a; b++) {
          const u = vectors.subarray(b * d, (b + 1) * d);
          let dot = 0;
          for (let j = 0; j < d; j++) dot += u[j]! * v[j]!;
          for (let j = 0; j < d; j++) v[j]! -= dot * u[j]!;
        }
      }
      const after = norm(v);
      if (after > 1e-10 * before && after > 0) {
        for (let j = 0; j < d; j++) v[j]! /= after;
        break;
      }
      if (attempt > 10) throw new Error(`failed to orthonormalise PCA basis vector ${a} of ${count} in ${d} dimensions (check the data for values near the float64 limits)`);
      for (let j = 0; j < d; j++) v[j] = gaussian();
    }
  }
}

function norm(v: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < v.length; j++) sum += v[j]! * v[j]!;
  return Math.sqrt(sum);
}

function orientAxis(axis: Float64Array): void {
  let largest = 0;
  for (let j = 1; j < axis.length; j++) if (Math.abs(axis[j]!) > Math.abs(axis[largest]!)) largest = j;
  if (axis[largest]! < 0) for (let j = 0; j < axis.length; j++) axis[j] = -axis[j]!;
}
