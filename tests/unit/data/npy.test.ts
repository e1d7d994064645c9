import { describe, expect, test } from "vitest";
import { parseNpy } from "../../../src/cells/data/npy.ts";

/** Builds a version 1.0 .npy file the way numpy.save writes it: header padded with spaces to a multiple of 64 bytes. */
function npy(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const bytes = new Uint8Array(10 + header.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), 10);
  bytes.set(data, 10 + header.length);
  return bytes;
}

describe("parseNpy", () => {
  test("reads uint8 images", () => {
    const array = parseNpy(npy("|u1", [2, 2, 3], Uint8Array.from({ length: 12 }, (_, i) => i * 10)));
    expect(array.shape).toEqual([2, 2, 3]);
    expect(array.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(array.data)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
  });

  test("reads little-endian float32", () => {
    const values = new Float32Array([0.5, 0.25, 1]);
    const array = parseNpy(npy("<f4", [3], new Uint8Array(values.buffer)));
    expect(array.shape).toEqual([3]);
    expect(Array.from(array.data)).toEqual([0.5, 0.25, 1]);
  });

  test("rejects a file without the magic", () => {
    expect(() => parseNpy(new TextEncoder().encode("not numpy at all"), "x.npy")).toThrow("invalid NPY file: x.npy does not start with \\x93NUMPY");
  });

  test("rejects fortran order", () => {
    expect(() => parseNpy(npy("|u1", [2, 2], new Uint8Array(4), true), "f.npy")).toThrow("unsupported NPY layout in f.npy: fortran_order True");
  });

  test("rejects big-endian and int64", () => {
    expect(() => parseNpy(npy(">f4", [1], new Uint8Array(4)), "b.npy")).toThrow("unsupported NPY dtype in b.npy: >f4");
    expect(() => parseNpy(npy("<i8", [1], new Uint8Array(8)), "l.npy")).toThrow("unsupported NPY dtype in l.npy: <i8");
  });

  test("rejects truncated data", () => {
    expect(() => parseNpy(npy("<f4", [4], new Uint8Array(8)), "t.npy")).toThrow("invalid NPY data in t.npy: 8 bytes after the header (expected 16 for shape (4) of <f4)");
  });
});
