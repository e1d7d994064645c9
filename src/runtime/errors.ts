/**
 * Structured errors shown at notebook cells. The page renders them from the fields, and the
 * headless runner prints them with `formatCellError`.
 */

/**
 * - `syntax`: the cell does not parse, or uses a form that cells reject (export, a reserved name).
 * - `undefined`: the cell uses a name that no cell, builtin or global defines.
 * - `duplicate`: a name is declared in more than one cell.
 * - `circular`: the cell is part of a cycle of cells that use each other's names.
 * - `input`: a name the cell uses failed in the cell that defines it.
 * - `thrown`: the cell's code threw, or a promise or generator it declared rejected.
 * - `import`: an import names a module or export that the library map does not provide.
 */
export type CellErrorKind = "syntax" | "undefined" | "duplicate" | "circular" | "input" | "thrown" | "import";

/** Position of a syntax error. */
export interface SourceLocation {
  /** 1-based line in the notebook file. */
  readonly line: number;
  /** 1-based column within the cell's source line. */
  readonly column: number;
  /** 1-based line within the cell's source. */
  readonly cellLine: number;
  /** 0-based character offset within the cell's source, for editors that address text by offset. */
  readonly offset: number;
}

export interface CellErrorDetails {
  readonly kind: CellErrorKind;
  readonly cellId: string;
  readonly names?: readonly string[];
  readonly location?: SourceLocation;
  readonly originCellId?: string;
  readonly cause?: unknown;
}

export class CellError extends Error {
  readonly kind: CellErrorKind;
  /** Cell that shows this error. */
  readonly cellId: string;
  /**
   * Names involved: the undefined, duplicated or failed input names, the names in a cycle,
   * the imported names that were not found, or the output whose promise or generator failed.
   */
  readonly names: readonly string[];
  readonly location?: SourceLocation;
  /** For `input` errors, the cell where the failure started. Their `cause` is the upstream cell's error. */
  readonly originCellId?: string;

  constructor(message: string, details: CellErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.cellId = details.cellId;
    this.names = details.names ?? [];
    this.location = details.location;
    this.originCellId = details.originCellId;
  }
}
CellError.prototype.name = "CellError";

/** Renders an error as one line of text that starts with the cell id, for logs and the command line. */
export function formatCellError(error: CellError): string {
  const name = error.kind === "thrown" ? thrownErrorName(error.cause) : undefined;
  const text = name === undefined ? error.message : `${name}: ${error.message}`;
  return `${error.cellId}: ${text}`;
}

/** Returns the message of a thrown value without rendering objects as `[object Object]`. */
export function describeThrown(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || value == null) {
    return `${String(value)} was thrown`;
  }
  let type: string = typeof value;
  if (Array.isArray(value)) type = "array";
  return `a non-Error ${type} was thrown (throw an Error to show a message)`;
}

function thrownErrorName(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  return cause.name && cause.name !== "Error" ? cause.name : undefined;
}
