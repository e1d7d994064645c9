/**
 * Content keys for cached cell results. A key is an xxhash128 over the hashes of its
 * ingredients (source, each input, library version, format version, backend), so a stored
 * entry can record which ingredient hashes it had and a later miss can name what changed.
 */
import { hashValue, type HashAdapter } from "./canonical.ts";
import { describeSetting } from "./values.ts";

export interface KeyParts {
  /** The cell's source text, exactly as it runs. */
  readonly source: string;
  /** The values of the names the cell reads, by name. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Version of the library the cell can import, so an upgrade recomputes cells. */
  readonly libraryVersion: string;
  /** Normally CACHE_FORMAT_VERSION. */
  readonly formatVersion: number;
  /** TensorFlow.js backend, such as "webgpu", for cells whose results depend on it. */
  readonly backend?: string;
}

/** Ingredient hashes, as 32 hex digits each. Stored with each entry, so they must stay structured-cloneable. */
export interface KeyIngredients {
  readonly source: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly libraryVersion: string;
  readonly formatVersion: string;
  /** Null when the key parts had no backend. */
  readonly backend: string | null;
}

export interface ComputedKey {
  /** xxhash128 as 32 hex digits. */
  readonly key: string;
  readonly ingredients: KeyIngredients;
}

export interface KeyOptions {
  /** Describers for class instances that lack the content-key protocol, tried in order. */
  readonly adapters?: readonly HashAdapter[];
}

/** Computes the key and the per-ingredient hashes. Throws UnhashableError for an input that has no content hash. */
export async function computeKey(parts: KeyParts, options: KeyOptions = {}): Promise<ComputedKey> {
  validateKeyParts(parts);
  const adapters = options.adapters ?? [];

  const names = Object.keys(parts.inputs).sort();
  const inputs: Record<string, string> = Object.create(null);
  for (const name of names) {
    inputs[name] = (await hashValue(parts.inputs[name], `input ${JSON.stringify(name)}`, { adapters })).digest;
  }
  const ingredients: KeyIngredients = {
    source: (await hashValue(parts.source, "source")).digest,
    inputs: { ...inputs },
    libraryVersion: (await hashValue(parts.libraryVersion, "library version")).digest,
    formatVersion: (await hashValue(parts.formatVersion, "format version")).digest,
    backend: parts.backend === undefined ? null : (await hashValue(parts.backend, "backend")).digest,
  };

  // Inputs go in as sorted [name, hash] pairs, so the order in which a cell names them does not count.
  const combined = {
    source: ingredients.source,
    inputs: names.map((name) => [name, inputs[name]]),
    libraryVersion: ingredients.libraryVersion,
    formatVersion: ingredients.formatVersion,
    backend: ingredients.backend,
  };
  const { digest } = await hashValue(combined, "key");
  return { key: digest, ingredients };
}

/** Returns only the key of `computeKey`. */
export async function contentKey(parts: KeyParts, options: KeyOptions = {}): Promise<string> {
  return (await computeKey(parts, options)).key;
}

export type KeyIngredientName = "source" | "input" | "libraryVersion" | "formatVersion" | "backend";

/** One ingredient that differs between two keys. */
export interface KeyChange {
  readonly ingredient: KeyIngredientName;
  /** For inputs: the input's name. */
  readonly name?: string;
  /** For inputs: whether the cell reads the input in only one of the two keys. */
  readonly change: "changed" | "added" | "removed";
  /** For messages: `source`, `input "x"`, `library version`, `format version` or `backend`. */
  readonly label: string;
}

/**
 * Lists the ingredients that differ between an earlier key and a new one, in the order source,
 * inputs by name, library version, format version, backend. Returns [] for equal ingredients.
 */
export function explainKeyChange(previous: KeyIngredients, next: KeyIngredients): KeyChange[] {
  const changes: KeyChange[] = [];
  if (previous.source !== next.source) changes.push({ ingredient: "source", change: "changed", label: "source" });

  const names = [...new Set([...Object.keys(previous.inputs), ...Object.keys(next.inputs)])].sort();
  for (const name of names) {
    const before = Object.hasOwn(previous.inputs, name) ? previous.inputs[name] : undefined;
    const after = Object.hasOwn(next.inputs, name) ? next.inputs[name] : undefined;
    if (before === after) continue;
    changes.push({ ingredient: "input", name, change: kindOfChange(before, after), label: `input ${JSON.stringify(name)}` });
  }

  if (previous.libraryVersion !== next.libraryVersion) {
    changes.push({ ingredient: "libraryVersion", change: "changed", label: "library version" });
  }
  if (previous.formatVersion !== next.formatVersion) {
    changes.push({ ingredient: "formatVersion", change: "changed", label: "format version" });
  }
  if (previous.backend !== next.backend) {
    changes.push({ ingredient: "backend", change: kindOfChange(previous.backend ?? undefined, next.backend ?? undefined), label: "backend" });
  }
  return changes;
}

function kindOfChange(before: string | undefined, after: string | undefined): KeyChange["change"] {
  if (before === undefined) return "added";
  if (after === undefined) return "removed";
  return "changed";
}

function validateKeyParts(parts: KeyParts): void {
  if (typeof parts.source !== "string") throw new TypeError(`invalid source: ${describeSetting(parts.source)} (expected the cell's source text)`);
  if (typeof parts.inputs !== "object" || parts.inputs === null || Array.isArray(parts.inputs)) {
    throw new TypeError(`invalid inputs: ${describeSetting(parts.inputs)} (expected an object of input values by name)`);
  }
  if (typeof parts.libraryVersion !== "string" || parts.libraryVersion === "") {
    throw new TypeError(`invalid library version: ${describeSetting(parts.libraryVersion)} (expected a non-empty string)`);
  }
  if (!Number.isInteger(parts.formatVersion) || parts.formatVersion < 0) {
    throw new TypeError(`invalid format version: ${describeSetting(parts.formatVersion)} (expected a non-negative integer, normally CACHE_FORMAT_VERSION)`);
  }
  if (parts.backend !== undefined && (typeof parts.backend !== "string" || parts.backend === "")) {
    throw new TypeError(`invalid backend: ${describeSetting(parts.backend)} (expected a backend name such as "webgpu", or no backend)`);
  }
}
