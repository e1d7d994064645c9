import { InputError } from "../errors.ts";

/** An array read from a NumPy .npy file. */
export interface NpyArray {
  /** NumPy dtype string from the header, such as "|u1" or "<f4". */
  dtype: string;
  shape: number[];
  data: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
}

type Constructor = new (buffer: ArrayBuffer, offset: number, length: number) => NpyArray["data"];

/** Element types this reader supports, by dtype without its byte-order character. */
const types: Record<string, { bytes: number; array: Constructor }> = {
  u1: { bytes: 1, array: Uint8Array },
  i1: { bytes: 1, array: Int8Array },
  b1: { bytes: 1, array: Uint8Array },
  u2: { bytes: 2, array: Uint16Array },
  i2: { bytes: 2, array: Int16Array },
  u4: { bytes: 4, array: Uint32Array },
  i4: { bytes: 4, array: Int32Array },
  f4: { bytes: 4, array: Float32Array },
  f8: { bytes: 8, array: Float64Array },
};

/**
 * Parses a NumPy .npy file (format versions 1.0 to 3.0): the magic string "\x93NUMPY", a
 * version, a header length, then a Python dict literal with descr, fortran_order and shape,
 * then the data in C order. Little-endian numeric dtypes only, and int64 is not read because
 * JavaScript typed arrays of it would need BigInt.
 */
export function parseNpy(bytes: Uint8Array, file = "array.npy"): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((value, i) => bytes[i] !== value)) {
    throw new InputError(`invalid NPY file: ${file} does not start with \\x93NUMPY (expected a file written by numpy.save).`, { file, field: "magic" });
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) {
    throw new InputError(`invalid NPY version in ${file}: ${major}.${bytes[7]} (expected 1.0, 2.0 or 3.0).`, { file, field: "version", value: `${major}.${bytes[7]}` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new InputError(`invalid NPY header in ${file}: ${JSON.stringify(header.trim())} (expected descr, fortran_order and shape).`, { file, field: "header", value: header.trim() });
  }
  if (fortran === "True") {
    throw new InputError(`unsupported NPY layout in ${file}: fortran_order True (expected C order). Save with numpy.save(file, numpy.ascontiguousarray(array)).`, { file, field: "fortran_order", value: "True" });
  }
  const byteOrder = descr[0]!;
  const type = types[descr.slice(1)];
  if (!type || byteOrder === ">" || (type.bytes > 1 && byteOrder === "|")) {
    throw new InputError(`unsupported NPY dtype in ${file}: ${descr} (expected one of |u1, |i1, |b1, <u2, <i2, <u4, <i4, <f4, <f8). Convert with array.astype("float32") or "uint8".`, {
      file,
      field: "descr",
      value: descr,
    });
  }
  const shape = shapeText
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map(Number);
  const count = shape.reduce((product, size) => product * size, 1);
  const dataStart = headerStart + headerLength;
  const available = bytes.length - dataStart;
  if (available < count * type.bytes) {
    throw new InputError(`invalid NPY data in ${file}: ${available} bytes after the header (expected ${count * type.bytes} for shape (${shape.join(", ")}) of ${descr}). The file is truncated.`, {
      file,
      field: "data",
      value: String(available),
    });
  }
  // Copy, because typed arrays need an offset aligned to their element size.
  const copy = bytes.slice(dataStart, dataStart + count * type.bytes);
  return { dtype: descr, shape, data: new type.array(copy.buffer, 0, count) };
}
