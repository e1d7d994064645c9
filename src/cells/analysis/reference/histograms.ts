/**
 * Plain TypeScript reference for the histogram kernel: per-column counts in `bins` equal-width
 * bins over each column's [min, max] (or the given ranges), with the maximum in the last bin,
 * values outside the range clamped to the edge bins, and a constant column in bin 0.
 */
export function referenceColumnHistograms(data: Float32Array, rows: number, columns: number, bins: number, ranges?: Float32Array): Uint32Array {
  const counts = new Uint32Array(columns * bins);
  for (let column = 0; column < columns; column++) {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    if (ranges) {
      low = ranges[2 * column]!;
      high = ranges[2 * column + 1]!;
    } else {
      for (let row = 0; row < rows; row++) {
        low = Math.min(low, data[row * columns + column]!);
        high = Math.max(high, data[row * columns + column]!);
      }
    }
    for (let row = 0; row < rows; row++) {
      let bin = 0;
      if (high > low) {
        const position = ((data[row * columns + column]! - low) / (high - low)) * bins;
        bin = Math.min(bins - 1, Math.max(0, Math.floor(position)));
      }
      counts[column * bins + bin]! += 1;
    }
  }
  return counts;
}
