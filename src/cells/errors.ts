/**
 * Errors raised by the transfer-learning library. Messages follow one grammar:
 * `invalid <thing>: <value> (expected …)`, `missing <thing>`, `<thing> not found: <value>`,
 * and end with what to do. The structured fields let the page render the file, field and value.
 */
export interface InputErrorDetails {
  /** File or URL the bad value came from, when there is one. */
  file?: string;
  /** Field, column or parameter name holding the bad value. */
  field?: string;
  /** The offending value, already rendered to text. */
  value?: string;
  cause?: unknown;
}

export class InputError extends Error {
  readonly file?: string;
  readonly field?: string;
  readonly value?: string;

  constructor(message: string, details: InputErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.file = details.file;
    this.field = details.field;
    this.value = details.value;
  }
}
InputError.prototype.name = "InputError";

/** Renders any value for an error message without producing `[object Object]`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
