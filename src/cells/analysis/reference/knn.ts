/**
 * Plain TypeScript reference for the kNN kernel: for each of n points (rows of d values), the
 * k nearest other points by squared Euclidean distance in float64, nearest first, ties broken
 * by the lower index.
 */
export function referenceKNearest(points: Float32Array, n: number, d: number, k: number): { indices: Uint32Array; distances: Float64Array } {
  const indices = new Uint32Array(n * k);
  const distances = new Float64Array(n * k);
  const order: { index: number; distance: number }[] = [];
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let sum = 0;
      for (let c = 0; c < d; c++) sum += (points[i * d + c]! - points[j * d + c]!) ** 2;
      order.push({ index: j, distance: sum });
    }
    order.sort((a, b) => a.distance - b.distance || a.index - b.index);
    for (let slot = 0; slot < k; slot++) {
      indices[i * k + slot] = order[slot]!.index;
      distances[i * k + slot] = order[slot]!.distance;
    }
  }
  return { indices, distances };
}
