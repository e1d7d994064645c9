/**
 * Values a cell run did not create: its inputs and imported bindings, plus everything reachable
 * from them through plain objects, arrays, Maps and Sets (a model taken out of an input bundle
 * with `const {model} = trained`, say). Class instances are not searched, because their fields are
 * internal state and may be large. Only data properties are read, so no getter runs.
 */
const MAX_DEPTH = 3;
// NOTE: a guess that keeps one search over a large namespace (all of TensorFlow.js) cheap.
// A value that the search would only reach beyond it counts as created by the run and is disposed.
const MAX_VISITED = 20_000;

export function findBorrowedValues(roots: readonly unknown[]): Set<unknown> {
  const found = new Set<unknown>();
  let frontier: unknown[] = [];
  for (const root of roots) {
    if (isReference(root) && !found.has(root)) {
      found.add(root);
      frontier.push(root);
    }
  }

  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth += 1) {
    const next: unknown[] = [];
    for (const container of frontier) {
      for (const child of containedValues(container)) {
        if (found.size >= MAX_VISITED) return found;
        if (!isReference(child) || found.has(child)) continue;
        found.add(child);
        next.push(child);
      }
    }
    frontier = next;
  }
  return found;
}

function containedValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value.keys(), ...value.values()];
  if (value instanceof Set) return [...value];
  if (!isPlainObject(value)) return [];
  const values: unknown[] = [];
  for (const key of Reflect.ownKeys(value)) {
    try {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor && "value" in descriptor) values.push(descriptor.value);
    } catch {
      // A module namespace throws for an export that is not initialized yet, which has no value to search.
    }
  }
  return values;
}

/** Plain objects and module namespaces, whose prototype is Object.prototype or null. */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isReference(value: unknown): boolean {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}
