/** Binary-search steps per point. Each step halves the bracket on β = 1 / (2σ²). */
const maxSearchSteps = 64;
/** Accepted gap between the row entropy and ln(perplexity), in nats. */
const entropyTolerance = 1e-5;
/** Floor of each joint probability, which keeps log P finite in the cost. */
const minProbability = 1e-12;

/**
 * Computes the symmetric joint probabilities P of t-SNE (van der Maaten and Hinton 2008,
 * "Visualizing Data using t-SNE"). For each point i a binary search finds the Gaussian width
 * σᵢ at which the conditional distribution p(j|i) has the requested perplexity, and then
 * pᵢⱼ = (p(j|i) + p(i|j)) / 2n. Returns a full row-major n × n matrix with a zero diagonal
 * whose entries sum to 1. Input rows are points in d dimensions. Cost is O(n²·d) time and
 * O(n²) memory.
 */
export function jointProbabilities(points: Float64Array, n: number, d: number, perplexity: number): Float64Array {
  const p = new Float64Array(n * n);
  const distances = new Float64Array(n);
  const targetEntropy = Math.log(perplexity);

  for (let i = 0; i < n; i++) {
    let nearest = Number.POSITIVE_INFINITY;
    let total = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let sum = 0;
      for (let k = 0; k < d; k++) {
        const delta = points[i * d + k]! - points[j * d + k]!;
        sum += delta * delta;
      }
      distances[j] = sum;
      nearest = Math.min(nearest, sum);
      total += sum;
    }
    if (n === 1) break;
    // Shifting by the nearest distance leaves p(j|i) unchanged but keeps one term at
    // exp(0) = 1, so the normaliser never underflows to zero.
    for (let j = 0; j < n; j++) distances[j] = j === i ? 0 : distances[j]! - nearest;
    const meanShifted = (total - nearest * (n - 1)) / (n - 1);
    calibrateRow(distances, i, n, targetEntropy, meanShifted, p.subarray(i * n, (i + 1) * n));
  }

  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    p[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) {
      const value = Math.max((p[i * n + j]! + p[j * n + i]!) * scale, minProbability);
      p[i * n + j] = value;
      p[j * n + i] = value;
    }
  }
  return p;
}

/**
 * Writes p(j|i) into `row` for the β whose entropy matches `targetEntropy`.
 * The entropy of p(·|i) in nats is H = ln S + β·Σⱼ dⱼ·p(j|i), where S = Σⱼ exp(−β·dⱼ).
 */
function calibrateRow(
  distances: Float64Array,
  i: number,
  n: number,
  targetEntropy: number,
  meanDistance: number,
  row: Float64Array,
): void {
  // Starting at 1 / mean distance makes the search independent of the data's scale.
  let beta = meanDistance > 0 ? 1 / meanDistance : 1;
  let low = 0;
  let high = Number.POSITIVE_INFINITY;

  for (let step = 0; step < maxSearchSteps; step++) {
    let sum = 0;
    let weighted = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const value = Math.exp(-beta * distances[j]!);
      row[j] = value;
      sum += value;
      weighted += distances[j]! * value;
    }
    const entropy = Math.log(sum) + (beta * weighted) / sum;
    const gap = entropy - targetEntropy;
    if (Math.abs(gap) < entropyTolerance) break;
    if (gap > 0) {
      low = beta;
      beta = high === Number.POSITIVE_INFINITY ? beta * 2 : (beta + high) / 2;
    } else {
      high = beta;
      beta = (beta + low) / 2;
    }
  }

  let sum = 0;
  for (let j = 0; j < n; j++) if (j !== i) sum += row[j]!;
  for (let j = 0; j < n; j++) row[j] = j === i ? 0 : row[j]! / sum;
}
