/** Eigenvalues in descending order with their unit eigenvectors. */
export interface SymmetricEigen {
  values: Float64Array;
  /** Row-major m × m matrix whose column j is the eigenvector of `values[j]`. */
  vectors: Float64Array;
}

const maxSweeps = 100;

/**
 * Diagonalises a symmetric m × m matrix (row-major, only read) by cyclic Jacobi rotations
 * (Golub and Van Loan, "Matrix Computations", the chapter on symmetric eigenproblems).
 * Each sweep over all pairs costs O(m³), so use it for small m. The PCA here calls it with
 * m ≤ 60.
 */
export function symmetricEigen(matrix: Float64Array, m: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;

  let scale = 0;
  for (let i = 0; i < a.length; i++) scale += a[i]! * a[i]!;
  const tolerance = Math.max(scale, Number.MIN_VALUE) * 1e-30;

  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) offDiagonal += a[p * m + q]! * a[p * m + q]!;
    }
    if (offDiagonal <= tolerance) break;

    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (apq === 0) continue;
        // The rotation that zeroes a[p][q] has t = tan(angle) equal to the smaller root of
        // t² + 2θt − 1 = 0, where θ = (a_qq − a_pp) / (2 a_pq).
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotateColumns(a, m, p, q, c, s);
        rotateRows(a, m, p, q, c, s);
        rotateColumns(v, m, p, q, c, s);
        a[p * m + q] = 0;
        a[q * m + p] = 0;
      }
    }
  }

  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => a[j * m + j]! - a[i * m + i]!);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  order.forEach((source, target) => {
    values[target] = a[source * m + source]!;
    for (let k = 0; k < m; k++) vectors[k * m + target] = v[k * m + source]!;
  });
  return { values, vectors };
}

function rotateColumns(x: Float64Array, m: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < m; k++) {
    const xp = x[k * m + p]!;
    const xq = x[k * m + q]!;
    x[k * m + p] = c * xp - s * xq;
    x[k * m + q] = s * xp + c * xq;
  }
}

function rotateRows(x: Float64Array, m: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < m; k++) {
    const xp = x[p * m + k]!;
    const xq = x[q * m + k]!;
    x[p * m + k] = c * xp - s * xq;
    x[q * m + k] = s * xp + c * xq;
  }
}
