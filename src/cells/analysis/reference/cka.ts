import { centredColumns } from "./columns.ts";

/**
 * Plain TypeScript reference for linear CKA (Kornblith et al. 2019), in float64:
 * ‖YᵀX‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F) with X and Y column-centred; 0 when either side has no variance.
 */
export function referenceLinearCka(x: Float32Array, xColumns: number, y: Float32Array, yColumns: number, rows: number): number {
  const cx = centredColumns(x, rows, xColumns).centred;
  const cy = centredColumns(y, rows, yColumns).centred;
  const cross = squaredFrobeniusOfProduct(cx, xColumns, cy, yColumns, rows);
  const selfX = squaredFrobeniusOfProduct(cx, xColumns, cx, xColumns, rows);
  const selfY = squaredFrobeniusOfProduct(cy, yColumns, cy, yColumns, rows);
  if (selfX === 0 || selfY === 0) return 0;
  return cross / Math.sqrt(selfX * selfY);
}

/** Returns ‖AᵀB‖²_F for row-major A (rows × a) and B (rows × b). */
function squaredFrobeniusOfProduct(a: Float64Array, aColumns: number, b: Float64Array, bColumns: number, rows: number): number {
  let total = 0;
  for (let i = 0; i < aColumns; i++) {
    for (let j = 0; j < bColumns; j++) {
      let sum = 0;
      for (let row = 0; row < rows; row++) sum += a[row * aColumns + i]! * b[row * bColumns + j]!;
      total += sum * sum;
    }
  }
  return total;
}
