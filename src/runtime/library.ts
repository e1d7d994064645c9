import type { CellImport } from "./analyze-cell.ts";
import { CellError } from "./errors.ts";

/**
 * Modules that cells can import, by specifier: `{ "carryover": cells, "@tensorflow/tfjs": tf }`.
 * A value is a module namespace or any object whose properties are its exports, or a promise of
 * one, which is awaited on first use so that large modules can load lazily.
 */
export type Library = Readonly<Record<string, unknown>>;

const MAX_LISTED_EXPORTS = 12;

/** Raises a TypeError for a library entry that cannot contain exports. */
export function validateLibrary(library: Library): void {
  for (const [specifier, module] of Object.entries(library)) {
    if (!isModuleLike(module) && !isThenable(module)) {
      throw new TypeError(
        `invalid library module: ${JSON.stringify(specifier)} is ${typeOfValue(module)} (expected a module namespace, an object of exports, or a promise of one)`,
      );
    }
  }
}

/**
 * Returns the value of every imported local name. Raises a CellError of kind `import` naming
 * the unknown specifier or missing exports.
 */
export async function resolveImports(
  imports: readonly CellImport[],
  library: Library,
  cellId: string,
): Promise<Record<string, unknown>> {
  const bindings: Record<string, unknown> = Object.create(null);
  for (const { specifier, bindings: names } of imports) {
    if (!Object.hasOwn(library, specifier)) {
      const available = Object.keys(library).map((name) => JSON.stringify(name));
      const expected = available.length > 0 ? `expected one of ${available.join(", ")}` : "the runtime was given no library modules";
      throw new CellError(`module not found: ${JSON.stringify(specifier)} (${expected})`, {
        kind: "import",
        cellId,
        names: [specifier],
      });
    }

    const module = await library[specifier];
    if (!isModuleLike(module)) {
      throw new CellError(
        `invalid library module: ${JSON.stringify(specifier)} resolved to ${typeOfValue(module)} (expected an object of exports)`,
        { kind: "import", cellId, names: [specifier] },
      );
    }
    const missing = names.flatMap((binding) => (binding.kind === "named" && !(binding.imported in module) ? [binding.imported] : []));
    if (missing.length > 0) {
      throw new CellError(
        `export not found: ${missing.map((name) => JSON.stringify(name)).join(", ")} in module ${JSON.stringify(specifier)} (${suggestExports(module, missing[0])})`,
        { kind: "import", cellId, names: missing },
      );
    }
    for (const binding of names) {
      const exports = module as Record<string, unknown>;
      bindings[binding.local] = binding.kind === "namespace" ? module : exports[binding.imported];
    }
  }
  return bindings;
}

function suggestExports(module: object, missing: string): string {
  const names = Object.keys(module).filter((name) => name !== "default").sort();
  if (missing === "default") return 'the module has no default export, so use "import * as name" or a named import';
  const close = names.filter((name) => isCloseName(name, missing));
  const listed = close.length > 0 ? close : names;
  if (listed.length === 0) return "the module has no exports";
  const listedNames = listed.slice(0, MAX_LISTED_EXPORTS).join(", ");
  const more = listed.length > MAX_LISTED_EXPORTS ? ` and ${listed.length - MAX_LISTED_EXPORTS} more` : "";
  return close.length > 0 ? `did you mean ${listedNames}${more}?` : `it exports ${listedNames}${more}`;
}

/** True when the names differ only in case, one contains the other, or they are at most two edits apart. */
function isCloseName(name: string, requested: string): boolean {
  const a = name.toLowerCase();
  const b = requested.toLowerCase();
  if (a.includes(b) || b.includes(a)) return true;
  return Math.abs(a.length - b.length) <= 2 && editDistance(a, b) <= 2;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

function isModuleLike(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function isThenable(value: unknown): boolean {
  return isModuleLike(value) && typeof (value as { then?: unknown }).then === "function";
}

function typeOfValue(value: unknown): string {
  return value === null ? "null" : typeof value;
}
