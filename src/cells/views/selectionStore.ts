/**
 * Selections by key, kept outside any one view, so that a view created again (after its cell
 * re-runs, or its input is restored from the cache) selects the same instances. Each key also
 * goes to sessionStorage where the page allows it, so a reload of the tab keeps it too.
 */
const selections = new Map<string, Uint32Array>();
const storagePrefix = "carryover.selection.";

/** Returns the ids stored under `key`, ascending, or an empty array. */
export function readSelection(key: string): Uint32Array {
  const kept = selections.get(key);
  if (kept) return kept;
  try {
    const text = globalThis.sessionStorage?.getItem(storagePrefix + key);
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (Array.isArray(parsed) && parsed.every((id) => Number.isInteger(id) && id >= 0)) {
      const ids = Uint32Array.from(parsed as number[]);
      selections.set(key, ids);
      return ids;
    }
  } catch {
    // Storage may be off (private windows, sandboxed frames) or hold text from another version;
    // either way there is nothing to restore.
  }
  return new Uint32Array(0);
}

/** Stores `ids` under `key`, replacing what was there. */
export function writeSelection(key: string, ids: Uint32Array): void {
  selections.set(key, ids);
  try {
    globalThis.sessionStorage?.setItem(storagePrefix + key, JSON.stringify([...ids]));
  } catch {
    // Full or disabled storage only loses the selection across a reload; memory keeps it.
  }
}
