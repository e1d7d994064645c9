/**
 * Helpers shared by the walks that hash values (`canonical.ts`) and encode them (`codec.ts`):
 * recognising value kinds, describing a value in an error without printing it, and tracking
 * the path to the value being walked.
 */

/** Property name of the method that lets a class instance take part in content keys. */
export const CONTENT_KEY = Symbol.for("carryover.contentKey");

/** A path step: a property name, an array index, or a step already written out (`.get("a")`). */
export type PathSegment = string | number | { readonly formatted: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The path from a root (`input "training"`, `output "model"`) to the value being walked, and the
 * objects on that path, so that a walk can name where a problem sits and detect cycles.
 */
export class ValuePath {
  readonly root: string;
  private readonly segments: PathSegment[] = [];
  /** Objects being walked, with the path length at which each was entered. */
  private readonly ancestors = new Map<object, number>();

  constructor(root: string) {
    this.root = root;
  }

  push(segment: PathSegment): void {
    this.segments.push(segment);
  }

  pop(): void {
    this.segments.pop();
  }

  /**
   * Marks `object` as being walked. Returns the path where it was entered before when it is
   * already being walked, which means the value refers back to one of its ancestors.
   */
  enter(object: object): string | undefined {
    const depth = this.ancestors.get(object);
    if (depth !== undefined) return this.format(depth);
    this.ancestors.set(object, this.segments.length);
    return undefined;
  }

  leave(object: object): void {
    this.ancestors.delete(object);
  }

  /** Formats the first `length` segments, all of them by default: `input "x" → options.model[2]`. */
  format(length = this.segments.length): string {
    let rest = "";
    for (const segment of this.segments.slice(0, length)) {
      if (typeof segment === "number") rest += `[${segment}]`;
      else if (typeof segment !== "string") rest += segment.formatted;
      else if (!IDENTIFIER.test(segment)) rest += `[${JSON.stringify(segment)}]`;
      else rest += rest === "" ? segment : `.${segment}`;
    }
    return rest === "" ? this.root : `${this.root} → ${rest}`;
  }
}

/** Path step for the value stored under a Map key, written as `.get(key)` when the key is a string or number. */
export function mapValueSegment(key: unknown, index: number): PathSegment {
  if (typeof key === "string") return { formatted: `.get(${JSON.stringify(key)})` };
  if (typeof key === "number") return { formatted: `.get(${String(key)})` };
  return { formatted: `.values()[${index}]` };
}

export function mapKeySegment(index: number): PathSegment {
  return { formatted: `.keys()[${index}]` };
}

export function setElementSegment(index: number): PathSegment {
  return { formatted: `.values()[${index}]` };
}

/** True for objects created by `{}` literals, `Object.create(null)` or JSON.parse. */
export function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Returns the element type of a typed array, such as "Float32Array". Node's Buffer reports "Uint8Array". */
export function typedArrayName(view: ArrayBufferView): string {
  return Object.prototype.toString.call(view).slice(8, -1);
}

export function isArrayBuffer(value: object): value is ArrayBuffer {
  return value instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && value instanceof SharedArrayBuffer);
}

/** Returns true for anything the Observable runtime iterates as a generator: an object with `next` and `return`. */
export function isGeneratorLike(value: object): boolean {
  const candidate = value as { next?: unknown; return?: unknown };
  return typeof candidate.next === "function" && typeof candidate.return === "function";
}

/**
 * Describes what kind of value this is, for error messages, without printing its contents:
 * "a function (fit)", "a DOM node (CANVAS)", "an instance of LayersModel".
 */
export function describeKind(value: unknown): string {
  if (typeof value === "function") return value.name === "" ? "a function" : `a function (${value.name})`;
  if (typeof value === "symbol") return "a symbol";
  if (typeof value !== "object" || value === null) return `a ${typeof value}`;
  const node = value as { nodeType?: unknown; nodeName?: unknown };
  if (typeof node.nodeType === "number" && typeof node.nodeName === "string") return `a DOM node (${node.nodeName})`;
  if (value instanceof Promise) return "a promise";
  if (isGeneratorLike(value)) return "a generator";
  const constructor = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor;
  if (typeof constructor === "function" && constructor.name !== "") return `an instance of ${constructor.name}`;
  return "an object with a custom prototype";
}

/** Writes a scalar setting for an error message: strings quoted, numbers as written, other values by kind. */
export function describeSetting(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null || value === undefined) return String(value);
  return describeKind(value);
}

/** Returns the message of a thrown value, without printing a thrown object that is not an Error. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return `a thrown ${describeKind(error).replace(/^an? /, "")}`;
}
