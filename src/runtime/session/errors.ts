/** What kind of fault a session file has; tests and the page branch on it, never on message text. */
export type SessionFault =
  | "truncated"
  | "signature"
  | "version"
  | "checksum"
  | "size"
  | "manifest"
  | "missing-array"
  | "invalid-value";

/**
 * Raised by the session reader and writer for every fault in a file or in the values to
 * write. The message names the file, the part at fault and what to do.
 */
export class SessionError extends Error {
  readonly fault: SessionFault;
  readonly file: string;
  /** The part of the file at fault, such as "header.dataByteLength" or "arrays[3]". */
  readonly field?: string;

  constructor(fault: SessionFault, file: string, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.fault = fault;
    this.file = file;
    this.field = field;
  }
}
SessionError.prototype.name = "SessionError";
