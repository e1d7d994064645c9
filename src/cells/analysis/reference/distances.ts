/**
 * Plain TypeScript reference for the distance kernel: squared Euclidean distances between
 * the rows of two row-major matrices with `d` columns, summed in float64.
 */
export function referenceSquaredDistances(a: Float32Array, aRows: number, b: Float32Array, bRows: number, d: number): Float64Array {
  const distances = new Float64Array(aRows * bRows);
  for (let i = 0; i < aRows; i++) {
    for (let j = 0; j < bRows; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) {
        const difference = a[i * d + k]! - b[j * d + k]!;
        sum += difference * difference;
      }
      distances[i * bRows + j] = sum;
    }
  }
  return distances;
}
