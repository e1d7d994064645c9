/** A row-major matrix of float32 values, such as n probe images × d neurons. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  columns: number;
}

/** Throws unless `matrix` has positive whole dimensions and `rows × columns` values. */
export function checkKernelMatrix(name: string, matrix: Matrix): void {
  const { data, rows, columns } = matrix;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(columns) || columns < 1) {
    throw new Error(`webgpu kernel: invalid ${name} shape: ${rows} × ${columns} (expected whole numbers of at least 1)`);
  }
  if (data.length !== rows * columns) {
    throw new Error(`webgpu kernel: invalid ${name} length: ${data.length} (expected ${rows} × ${columns} = ${rows * columns}, row-major)`);
  }
}
