import { centredColumns } from "./columns.ts";

/**
 * Plain TypeScript reference for the correlation kernel: Pearson correlations between the
 * columns of two matrices with the same rows, in float64. Entries of constant columns are 0.
 */
export function referenceCorrelation(
  source: Float32Array,
  target: Float32Array,
  rows: number,
  sourceColumns: number,
  targetColumns: number,
): Float64Array {
  const a = standardised(source, rows, sourceColumns);
  const b = standardised(target, rows, targetColumns);
  const correlations = new Float64Array(sourceColumns * targetColumns);
  for (let i = 0; i < sourceColumns; i++) {
    for (let j = 0; j < targetColumns; j++) {
      let sum = 0;
      for (let row = 0; row < rows; row++) sum += a[row * sourceColumns + i]! * b[row * targetColumns + j]!;
      correlations[i * targetColumns + j] = sum;
    }
  }
  return correlations;
}

function standardised(data: Float32Array, rows: number, columns: number): Float64Array {
  const { centred } = centredColumns(data, rows, columns);
  for (let column = 0; column < columns; column++) {
    let squares = 0;
    for (let row = 0; row < rows; row++) squares += centred[row * columns + column]! ** 2;
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let row = 0; row < rows; row++) centred[row * columns + column]! *= scale;
  }
  return centred;
}
