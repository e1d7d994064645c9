import { InputError } from "../errors.ts";
import { gunzipIfCompressed } from "./gzip.ts";

/**
 * Parser for the IDX format of the MNIST files. Layout, all integers big-endian:
 * a 4-byte magic number (two zero bytes, a type code, the number of dimensions),
 * one uint32 size per dimension, then the values in row-major order.
 */

export type IdxDtype = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxTensor {
  dtype: IdxDtype;
  shape: number[];
  /** Values in row-major order, converted to the platform's byte order, in their own buffer. */
  data: IdxData;
}

/** The tensor a caller requires, checked against the magic number. */
export interface IdxExpectation {
  dtype: IdxDtype;
  rank: number;
  /** Content name for messages, e.g. "images" or "labels". */
  description: string;
}

interface DtypeInfo {
  dtype: IdxDtype;
  bytes: number;
  read: (view: DataView, offset: number) => number;
  create: (length: number) => IdxData;
}

const DTYPES: ReadonlyMap<number, DtypeInfo> = new Map<number, DtypeInfo>([
  [0x08, { dtype: "uint8", bytes: 1, read: (v, o) => v.getUint8(o), create: (n) => new Uint8Array(n) }],
  [0x09, { dtype: "int8", bytes: 1, read: (v, o) => v.getInt8(o), create: (n) => new Int8Array(n) }],
  [0x0b, { dtype: "int16", bytes: 2, read: (v, o) => v.getInt16(o), create: (n) => new Int16Array(n) }],
  [0x0c, { dtype: "int32", bytes: 4, read: (v, o) => v.getInt32(o), create: (n) => new Int32Array(n) }],
  [0x0d, { dtype: "float32", bytes: 4, read: (v, o) => v.getFloat32(o), create: (n) => new Float32Array(n) }],
  [0x0e, { dtype: "float64", bytes: 8, read: (v, o) => v.getFloat64(o), create: (n) => new Float64Array(n) }],
]);

/** Largest value count accepted, well above MNIST's 47,040,000 and below typed-array limits. */
const MAX_VALUES = 2 ** 30;

const MAGIC_BYTES = 4;

/**
 * Parses an IDX file, decompressing it first when it starts with the gzip magic number.
 * `file` names the file in error messages. With `expected`, the magic number must match it.
 */
export async function parseIdx(
  buffer: ArrayBuffer | Uint8Array,
  file: string,
  expected?: IdxExpectation,
): Promise<IdxTensor> {
  const raw = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const bytes = await gunzipIfCompressed(raw, file);
  return parseIdxBytes(bytes, file, expected);
}

/** Parses uncompressed IDX bytes; see {@link parseIdx}. */
export function parseIdxBytes(bytes: Uint8Array, file: string, expected?: IdxExpectation): IdxTensor {
  if (bytes.length < MAGIC_BYTES) {
    throw lengthError(file, bytes.length, `at least ${MAGIC_BYTES} bytes for the magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const info = checkMagic(magic, file, expected);
  const rank = bytes[3]!;

  const headerBytes = MAGIC_BYTES + 4 * rank;
  if (bytes.length < headerBytes) {
    throw lengthError(file, bytes.length, `at least ${headerBytes} bytes for the header of a ${rank}-dimensional IDX file`);
  }
  const shape: number[] = [];
  for (let axis = 0; axis < rank; axis++) shape.push(view.getUint32(MAGIC_BYTES + 4 * axis));

  const valueCount = shape.reduce((product, size) => product * size, 1);
  if (valueCount > MAX_VALUES) {
    throw new InputError(
      `invalid IDX dimensions in ${file}: ${shape.join("×")} (expected at most ${MAX_VALUES} values). Check that the file is an IDX file.`,
      { file, field: "dimensions", value: shape.join("×") },
    );
  }

  const expectedBytes = headerBytes + valueCount * info.bytes;
  if (bytes.length !== expectedBytes) {
    const detail = `${expectedBytes} bytes = ${headerBytes}-byte header + ${shape.join("×") || "1"} values × ${info.bytes} byte${info.bytes === 1 ? "" : "s"}`;
    throw lengthError(file, bytes.length, detail);
  }

  return { dtype: info.dtype, shape, data: readValues(bytes, view, headerBytes, valueCount, info) };
}

function checkMagic(magic: number, file: string, expected: IdxExpectation | undefined): DtypeInfo {
  const typeCode = (magic >>> 8) & 0xff;
  const info = DTYPES.get(typeCode);

  if (expected !== undefined) {
    const expectedMagic = magicFor(expected);
    if (magic !== expectedMagic) {
      throw magicError(file, magic, `${hex(expectedMagic)} for ${expected.description}`);
    }
    return info!;
  }

  if (magic >>> 16 !== 0 || info === undefined) {
    throw magicError(file, magic, "0x0000TTDD, where TT is a type code 08, 09, 0b, 0c, 0d or 0e and DD the number of dimensions");
  }
  return info;
}

function magicFor(expected: IdxExpectation): number {
  for (const [code, info] of DTYPES) {
    if (info.dtype === expected.dtype) return (code << 8) | expected.rank;
  }
  throw new Error(`unknown IDX dtype ${expected.dtype}`);
}

function readValues(bytes: Uint8Array, view: DataView, offset: number, count: number, info: DtypeInfo): IdxData {
  if (info.bytes === 1 && info.dtype === "uint8") return bytes.slice(offset, offset + count);

  const data = info.create(count);
  for (let i = 0; i < count; i++) data[i] = info.read(view, offset + i * info.bytes);
  return data;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}

function magicError(file: string, magic: number, expected: string): InputError {
  return new InputError(
    `invalid IDX magic number in ${file}: ${hex(magic)} (expected ${expected}). Check that the file is an IDX file, uncompressed or gzip-compressed, and that images and labels files are not swapped.`,
    { file, field: "magic number", value: hex(magic) },
  );
}

function lengthError(file: string, actual: number, expected: string): InputError {
  return new InputError(
    `invalid IDX byte length in ${file}: ${actual} bytes (expected ${expected}). The file is truncated or damaged; download or reinstall it.`,
    { file, field: "byte length", value: String(actual) },
  );
}
