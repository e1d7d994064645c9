/**
 * Encoding of cell outputs into values that IndexedDB's structured clone stores exactly
 * (decode.ts reads them back), and their checksum. Primitives (NaN, -0 and bigint included), arrays, typed arrays, ArrayBuffer,
 * DataView and Date are stored as they are. Plain objects, Maps, Sets, codec values and
 * sequences become tagged nodes, so a decoder never mistakes stored data for a node.
 * Shared references are stored once per place they occur, so decoded values share nothing.
 */
import { hashValue } from "./canonical.ts";
import {
  ValuePath,
  describeKind,
  describeThrown,
  isArrayBuffer,
  isPlainObject,
  mapKeySegment,
  mapValueSegment,
  setElementSegment,
  typedArrayName,
  type PathSegment,
} from "./values.ts";

/**
 * Stores values of a class that structured clone would flatten, such as tf.Tensor, so the
 * runtime never imports TensorFlow.js. `encode` must return plain data: primitives, arrays,
 * plain objects, typed arrays, Map, Set or Date.
 */
export interface OutputCodec {
  /** Stored with each encoded value, so renaming a codec makes old entries undecodable. */
  readonly name: string;
  test(value: unknown): boolean;
  encode(value: unknown): unknown;
  decode(data: unknown): unknown;
}

export interface CodecOptions {
  readonly codecs?: readonly OutputCodec[];
}

/** The values a generator output yielded, for storing. `complete` is false when the generator had not finished. */
export class SequenceRecord {
  readonly values: readonly unknown[];
  readonly complete: boolean;

  constructor(values: readonly unknown[], complete: boolean) {
    this.values = values;
    this.complete = complete;
  }
}

export type EncodedValue =
  | undefined
  | null
  | boolean
  | number
  | string
  | bigint
  | Date
  | ArrayBuffer
  | ArrayBufferView
  | readonly EncodedValue[]
  | EncodedNode;

export type EncodedNode =
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, EncodedValue])[] }
  | { readonly kind: "map"; readonly entries: readonly (readonly [EncodedValue, EncodedValue])[] }
  | { readonly kind: "set"; readonly values: readonly EncodedValue[] }
  | { readonly kind: "codec"; readonly codec: string; readonly data: EncodedValue }
  | { readonly kind: "sequence"; readonly values: readonly EncodedValue[]; readonly complete: boolean };

export interface EncodedOutput {
  readonly name: string;
  readonly value: EncodedValue;
}

/** Outputs in the cell's order. */
export type EncodedOutputs = readonly EncodedOutput[];

const EXPECTED_VALUES = "plain data, a typed array, ArrayBuffer, Map, Set, Date, or a value that a registered codec accepts";

/** An output value that cannot be stored, so the cell cannot be cached. */
export class UnencodableError extends Error {
  readonly output: string;
  /** Path to the value, such as `output "run" → .values[2].model`. */
  readonly path: string;

  constructor(message: string, output: string, path: string, options?: ErrorOptions) {
    super(message, options);
    this.output = output;
    this.path = path;
  }
}
UnencodableError.prototype.name = "UnencodableError";

/** A stored value that does not decode, such as one that needs a codec that is no longer registered. */
export class DecodeError extends Error {
  readonly path: string;

  constructor(message: string, path: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}
DecodeError.prototype.name = "DecodeError";

/** Encodes each output. Throws UnencodableError naming the output and path of a value that cannot be stored. */
export async function encodeOutputs(outputs: ReadonlyMap<string, unknown>, options: CodecOptions = {}): Promise<EncodedOutputs> {
  const codecs = validateCodecs(options.codecs ?? []);
  const encoded: EncodedOutput[] = [];
  for (const [name, value] of outputs) {
    const encoder = new Encoder(name, codecs);
    encoded.push({ name, value: await encoder.encode(value) });
  }
  return encoded;
}

/**
 * Returns the xxhash128 of the canonical serialisation of encoded outputs, which `get` checks on
 * read, and the serialisation's length in bytes, an estimate of the entry's stored size.
 */
export async function checksumOutputs(encoded: EncodedOutputs): Promise<{ checksum: string; sizeBytes: number }> {
  const { digest, byteCount } = await hashValue(encoded, "encoded outputs");
  return { checksum: digest, sizeBytes: byteCount };
}

export function validateCodecs(codecs: readonly OutputCodec[]): readonly OutputCodec[] {
  const names = new Set<string>();
  for (const codec of codecs) {
    if (typeof codec.name !== "string" || codec.name === "") {
      throw new TypeError("invalid codec: missing name (expected a non-empty string such as \"tensor\")");
    }
    if (names.has(codec.name)) throw new TypeError(`invalid codec name: ${JSON.stringify(codec.name)} (expected each codec to have its own name)`);
    names.add(codec.name);
  }
  return codecs;
}

class Encoder {
  private readonly output: string;
  private readonly codecs: readonly OutputCodec[];
  private readonly path: ValuePath;

  constructor(output: string, codecs: readonly OutputCodec[], path = new ValuePath(`output ${JSON.stringify(output)}`)) {
    this.output = output;
    this.codecs = codecs;
    this.path = path;
  }

  async encode(value: unknown): Promise<EncodedValue> {
    switch (typeof value) {
      case "undefined":
      case "boolean":
      case "number":
      case "string":
      case "bigint":
        return value;
      case "object":
        if (value === null) return null;
        break;
      default:
        throw this.unencodable(describeKind(value));
    }
    const object = value as object;
    const earlier = this.path.enter(object);
    if (earlier !== undefined) throw this.unencodable(`a cycle back to ${earlier}`, "data without cycles");
    try {
      return await this.encodeObject(object);
    } finally {
      this.path.leave(object);
    }
  }

  private async encodeObject(object: object): Promise<EncodedValue> {
    const codec = this.codecs.find((candidate) => candidate.test(object));
    if (codec) return this.encodeWithCodec(codec, object);

    if (ArrayBuffer.isView(object)) return tightCopy(object);
    if (isArrayBuffer(object)) return object;
    if (object instanceof Date) return object;
    if (Array.isArray(object)) return this.encodeEach(object, (index) => index);
    if (object instanceof SequenceRecord) {
      const values = await this.encodeEach(object.values, (index) => ({ formatted: `.values[${index}]` }));
      return { kind: "sequence", values, complete: object.complete };
    }
    if (object instanceof Map) {
      const entries: (readonly [EncodedValue, EncodedValue])[] = [];
      let index = 0;
      for (const [key, value] of object) {
        const encodedKey = await this.encodeAt(mapKeySegment(index), key);
        entries.push([encodedKey, await this.encodeAt(mapValueSegment(key, index), value)]);
        index += 1;
      }
      return { kind: "map", entries };
    }
    if (object instanceof Set) {
      return { kind: "set", values: await this.encodeEach([...object], setElementSegment) };
    }
    if (isPlainObject(object)) {
      const entries: (readonly [string, EncodedValue])[] = [];
      for (const [key, value] of Object.entries(object)) entries.push([key, await this.encodeAt(key, value)]);
      return { kind: "object", entries };
    }
    const kind = describeKind(object);
    if (kind === "a generator") throw this.unencodable(kind, "its yielded values in a SequenceRecord");
    throw this.unencodable(kind);
  }

  /** Encodes the codec's data without codecs, so a codec that returns a value it accepts cannot recurse forever. */
  private async encodeWithCodec(codec: OutputCodec, value: object): Promise<EncodedNode> {
    let data: unknown;
    try {
      data = await codec.encode(value);
    } catch (error) {
      const path = this.path.format();
      const message = `failed to encode ${path} with codec ${JSON.stringify(codec.name)}: ${describeThrown(error)}`;
      throw new UnencodableError(message, this.output, path, { cause: error });
    }
    const plain = new Encoder(this.output, [], this.path);
    this.path.push({ formatted: `[codec ${JSON.stringify(codec.name)}]` });
    const encoded = await plain.encode(data);
    this.path.pop();
    return { kind: "codec", codec: codec.name, data: encoded };
  }

  private async encodeEach(values: readonly unknown[], segment: (index: number) => PathSegment): Promise<EncodedValue[]> {
    const encoded: EncodedValue[] = [];
    for (let index = 0; index < values.length; index += 1) encoded.push(await this.encodeAt(segment(index), values[index]));
    return encoded;
  }

  private async encodeAt(segment: PathSegment, value: unknown): Promise<EncodedValue> {
    this.path.push(segment);
    const encoded = await this.encode(value);
    this.path.pop();
    return encoded;
  }

  private unencodable(kind: string, expected = EXPECTED_VALUES): UnencodableError {
    const path = this.path.format();
    const message = `invalid cached value at ${path}: ${kind} (expected ${expected}). Register a codec for it or mark the cell uncached.`;
    return new UnencodableError(message, this.output, path);
  }
}

/**
 * Copies a view that covers only part of its buffer, because structured clone stores the whole
 * buffer. Returns other views as they are. A Node Buffer becomes a Uint8Array.
 */
function tightCopy(view: ArrayBufferView): ArrayBufferView {
  const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
  if (view instanceof DataView) return whole ? view : new DataView(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
  const name = typedArrayName(view);
  const constructor = (globalThis as unknown as Record<string, (new (source: ArrayBufferView) => ArrayBufferView) | undefined>)[name];
  if (constructor === undefined || (whole && Object.getPrototypeOf(view) === constructor.prototype)) return view;
  return new constructor(view);
}
