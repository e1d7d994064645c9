import { InputError } from "../errors.ts";

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`;
    throw new InputError(`invalid ${field}: ${value} (expected a whole number, ${range})`, { field, value: String(value) });
  }
}

/** Throws unless `data` is a row-major rows × columns matrix of finite numbers. */
export function checkMatrix(field: string, data: Float32Array, rows: number, columns: number): void {
  checkInteger(`${field} rows`, rows, 1);
  checkInteger(`${field} columns`, columns, 1);
  if (data.length !== rows * columns) {
    throw new InputError(
      `invalid ${field} length: ${data.length} (expected ${rows} × ${columns} = ${rows * columns}, row-major)`,
      { field, value: String(data.length) },
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const row = Math.floor(i / columns);
      throw new InputError(
        `invalid ${field} value: ${data[i]} at row ${row}, column ${i - row * columns} (expected a finite number)`,
        { field, value: String(data[i]) },
      );
    }
  }
}
