/** Reporting of a write that the browser's storage quota rejected. */

/** The browser refused a write because the site's storage quota is full. Nothing of the entry was written. */
export class QuotaError extends Error {
  readonly cellId: string;
  /** Estimated size of the entry that did not fit, in bytes. */
  readonly bytesNeeded: number;

  constructor(cellId: string, bytesNeeded: number, storage: string, options: ErrorOptions) {
    super(
      `failed to cache the result of cell ${JSON.stringify(cellId)}: the storage quota is full and the entry needs about ` +
        `${formatBytes(bytesNeeded)}${storage}. Free space by deleting cached results in the storage panel ` +
        `(or evictLeastRecentlyUsed), then run the cell again.`,
      options,
    );
    this.cellId = cellId;
    this.bytesNeeded = bytesNeeded;
  }
}
QuotaError.prototype.name = "QuotaError";

/** True when the error, or an error it wraps, is a DOMException named QuotaExceededError. */
export function isQuotaExceeded(error: unknown): boolean {
  let current = error;
  // The depth limit stops at a cause chain that loops back on itself.
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth += 1) {
    if ((current as { name?: unknown }).name === "QuotaExceededError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Returns " (site storage: 1.2 GB of 1.2 GB used)" where the Storage API gives an estimate, else "". */
export async function describeStorage(): Promise<string> {
  const storage = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageEstimate> } } }).navigator?.storage;
  try {
    const estimate = await storage?.estimate?.();
    if (estimate?.usage === undefined || estimate.quota === undefined) return "";
    return ` (site storage: ${formatBytes(estimate.usage)} of ${formatBytes(estimate.quota)} used)`;
  } catch {
    return "";
  }
}

/** Formats a byte count with decimal units (1 MB = 10^6 bytes), as browsers' storage settings show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
