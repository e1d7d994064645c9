/**
 * Canonical serialisation of values, streamed into xxhash128 (hash-wasm). Equal content gives
 * equal bytes, whatever its object identity, key order or Map and Set insertion order. Different
 * content gives different bytes, because every value starts with a type tag and every string,
 * byte run and collection starts with its length.
 *
 * xxhash128 is not a cryptographic hash. It separates honest edits, not crafted collisions.
 */
import { DIGEST_BYTES, acquireSink, releaseSink, type HashSink } from "./hash-sink.ts";
import {
  CONTENT_KEY,
  ValuePath,
  describeKind,
  describeThrown,
  isArrayBuffer,
  isPlainObject,
  mapKeySegment,
  mapValueSegment,
  setElementSegment,
  typedArrayName,
} from "./values.ts";

/** Describes values that cannot implement the content-key protocol themselves, such as tf.Tensor. */
export interface HashAdapter {
  test(value: unknown): boolean;
  /** Returns hashable content (plain data, typed arrays) that stands for the value. */
  describe(value: unknown): unknown;
}

export interface HashOptions {
  readonly adapters?: readonly HashAdapter[];
}

export interface HashResult {
  /** xxhash128 of the canonical serialisation, as 32 hex digits. */
  readonly digest: string;
  /** Length of the canonical serialisation in bytes. Binary data counts byte for byte. */
  readonly byteCount: number;
}

export type UnhashableReason = "unsupported" | "cycle" | "describe-failed";

/** A value that has no content-based hash, so the cell cannot be cached. */
export class UnhashableError extends Error {
  /** Path to the value, such as `input "training" → options.sourceModel`. */
  readonly path: string;
  readonly reason: UnhashableReason;

  constructor(message: string, path: string, reason: UnhashableReason, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
    this.reason = reason;
  }
}
UnhashableError.prototype.name = "UnhashableError";

// Changing a tag or the byte layout changes every key and checksum: bump CACHE_FORMAT_VERSION.
const TAG = {
  undefined: 0,
  null: 1,
  false: 2,
  true: 3,
  number: 4,
  string: 5,
  bigint: 6,
  array: 7,
  object: 8,
  map: 9,
  set: 10,
  date: 11,
  arrayBuffer: 12,
  typedArray: 13,
  dataView: 14,
  described: 15,
} as const;

/** Hashes `value` by content. `root` names the value in errors, such as `input "training"`. */
export async function hashValue(value: unknown, root: string, options: HashOptions = {}): Promise<HashResult> {
  const sink = await acquireSink();
  try {
    const writer = new CanonicalWriter(sink, new ValuePath(root), options.adapters ?? []);
    await writer.write(value);
    return { digest: sink.digestHex(), byteCount: sink.byteCount };
  } finally {
    releaseSink(sink);
  }
}

class CanonicalWriter {
  private sink: HashSink;
  private readonly path: ValuePath;
  private readonly adapters: readonly HashAdapter[];

  constructor(sink: HashSink, path: ValuePath, adapters: readonly HashAdapter[]) {
    this.sink = sink;
    this.path = path;
    this.adapters = adapters;
  }

  async write(value: unknown): Promise<void> {
    if (this.writePrimitive(value)) return;
    if (typeof value !== "object" && typeof value !== "function") throw this.unsupported(value);
    const object = value as object;
    const earlier = this.path.enter(object);
    if (earlier !== undefined) {
      const path = this.path.format();
      const message = `invalid value at ${path}: a cycle back to ${earlier} (expected data without cycles). Break the cycle or mark the cell uncached.`;
      throw new UnhashableError(message, path, "cycle");
    }
    try {
      await this.writeObject(object);
    } finally {
      this.path.leave(object);
    }
  }

  /** Writes null, undefined, booleans, numbers, strings and bigints. Returns false for anything else. */
  private writePrimitive(value: unknown): boolean {
    const sink = this.sink;
    switch (typeof value) {
      case "undefined":
        sink.tag(TAG.undefined);
        return true;
      case "boolean":
        sink.tag(value ? TAG.true : TAG.false);
        return true;
      case "number":
        sink.tag(TAG.number);
        sink.float(value);
        return true;
      case "string":
        sink.tag(TAG.string);
        sink.string(value);
        return true;
      case "bigint":
        sink.tag(TAG.bigint);
        sink.string(value.toString(16));
        return true;
      default:
        if (value !== null) return false;
        sink.tag(TAG.null);
        return true;
    }
  }

  private async writeObject(object: object): Promise<void> {
    const protocol = (object as { [CONTENT_KEY]?: unknown })[CONTENT_KEY];
    if (typeof protocol === "function") {
      return this.writeDescribed(() => protocol.call(object), "[contentKey]");
    }
    for (const adapter of this.adapters) {
      if (adapter.test(object)) return this.writeDescribed(() => adapter.describe(object), "[adapter]");
    }

    const sink = this.sink;
    if (ArrayBuffer.isView(object)) {
      const bytes = new Uint8Array(object.buffer, object.byteOffset, object.byteLength);
      if (object instanceof DataView) {
        sink.tag(TAG.dataView);
      } else {
        sink.tag(TAG.typedArray);
        sink.string(typedArrayName(object));
      }
      sink.length(bytes.byteLength);
      sink.bytes(bytes);
    } else if (isArrayBuffer(object)) {
      sink.tag(TAG.arrayBuffer);
      sink.length(object.byteLength);
      sink.bytes(new Uint8Array(object));
    } else if (Array.isArray(object)) {
      sink.tag(TAG.array);
      sink.length(object.length);
      for (let index = 0; index < object.length; index += 1) {
        const item: unknown = object[index];
        if (this.writePrimitive(item)) continue;
        this.path.push(index);
        await this.write(item);
        this.path.pop();
      }
    } else if (object instanceof Date) {
      sink.tag(TAG.date);
      sink.float(object.getTime());
    } else if (object instanceof Map) {
      await this.writeMap(object);
    } else if (object instanceof Set) {
      await this.writeSet(object);
    } else if (isPlainObject(object)) {
      // Sorted keys make the bytes independent of insertion order. Symbol keys are not content.
      const record = object as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      sink.tag(TAG.object);
      sink.length(keys.length);
      for (const key of keys) {
        sink.string(key);
        const item = record[key];
        if (this.writePrimitive(item)) continue;
        this.path.push(key);
        await this.write(item);
        this.path.pop();
      }
    } else {
      throw this.unsupported(object);
    }
  }

  /** Writes each entry as the digests of its key and value, sorted, so insertion order does not count. */
  private async writeMap(map: Map<unknown, unknown>): Promise<void> {
    const entries: Uint8Array[] = [];
    let index = 0;
    for (const [key, value] of map) {
      this.path.push(mapKeySegment(index));
      const keyDigest = await this.digestOf(key);
      this.path.pop();
      this.path.push(mapValueSegment(key, index));
      const valueDigest = await this.digestOf(value);
      this.path.pop();
      const entry = new Uint8Array(2 * DIGEST_BYTES);
      entry.set(keyDigest, 0);
      entry.set(valueDigest, DIGEST_BYTES);
      entries.push(entry);
      index += 1;
    }
    this.writeSortedDigests(TAG.map, entries);
  }

  private async writeSet(set: Set<unknown>): Promise<void> {
    const elements: Uint8Array[] = [];
    let index = 0;
    for (const element of set) {
      this.path.push(setElementSegment(index));
      elements.push(await this.digestOf(element));
      this.path.pop();
      index += 1;
    }
    this.writeSortedDigests(TAG.set, elements);
  }

  private writeSortedDigests(tag: number, digests: Uint8Array[]): void {
    digests.sort(compareBytes);
    this.sink.tag(tag);
    this.sink.length(digests.length);
    for (const digest of digests) this.sink.bytes(digest);
  }

  /** Hashes one value into its own digest, sharing this walk's path and cycle detection. */
  private async digestOf(value: unknown): Promise<Uint8Array> {
    const outer = this.sink;
    const inner = await acquireSink();
    this.sink = inner;
    try {
      await this.write(value);
      outer.byteCount += inner.byteCount;
      return inner.digestBinary();
    } finally {
      this.sink = outer;
      releaseSink(inner);
    }
  }

  private async writeDescribed(describe: () => unknown, segment: string): Promise<void> {
    let description: unknown;
    try {
      description = await describe();
    } catch (error) {
      const path = this.path.format();
      const message = `failed to describe ${path} for its cache key: ${describeThrown(error)}`;
      throw new UnhashableError(message, path, "describe-failed", { cause: error });
    }
    this.sink.tag(TAG.described);
    this.path.push({ formatted: segment });
    await this.write(description);
    this.path.pop();
  }

  private unsupported(value: unknown): UnhashableError {
    const path = this.path.format();
    const message =
      `invalid value at ${path}: ${describeKind(value)} (expected plain data, a typed array, ArrayBuffer, Map, Set, Date, ` +
      `or an object with a [Symbol.for("carryover.contentKey")]() method that returns its content). ` +
      `Implement that method on its class or mark the cell uncached.`;
    return new UnhashableError(message, path, "unsupported");
  }
}

function compareBytes(left: Uint8Array, right: Uint8Array): number {
  for (let index = 0; index < left.length; index += 1) {
    const difference = left[index]! - right[index]!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
