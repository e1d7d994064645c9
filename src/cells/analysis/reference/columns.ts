/**
 * Returns the columns of a row-major rows × columns matrix, centred, in float64, and flags the
 * constant columns (min = max), whose centred values are set to exactly 0.
 */
export function centredColumns(data: Float32Array, rows: number, columns: number): { centred: Float64Array; constant: Uint8Array } {
  const centred = new Float64Array(rows * columns);
  const constant = new Uint8Array(columns);
  for (let column = 0; column < columns; column++) {
    let sum = 0;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let row = 0; row < rows; row++) {
      const value = data[row * columns + column]!;
      sum += value;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    constant[column] = low === high ? 1 : 0;
    const mean = sum / rows;
    for (let row = 0; row < rows; row++) {
      centred[row * columns + column] = low === high ? 0 : data[row * columns + column]! - mean;
    }
  }
  return { centred, constant };
}
