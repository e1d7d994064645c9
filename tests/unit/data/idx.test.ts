import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/cells/errors.ts";
import { parseIdx } from "../../../src/cells/data/idx.ts";

/** Builds an IDX file: magic number, big-endian uint32 sizes, then the given data bytes. */
function idxBytes(typeCode: number, shape: number[], data: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (typeCode << 8) | shape.length);
  shape.forEach((size, axis) => view.setUint32(4 + 4 * axis, size));
  bytes.set(data, 4 + 4 * shape.length);
  return bytes;
}

const IMAGES = { dtype: "uint8", rank: 3, description: "images" } as const;

// Two 2×3 uint8 images.
const TINY_IMAGES = idxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);

async function captureError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("parseIdx", () => {
  it("parses uint8 images", async () => {
    const tensor = await parseIdx(TINY_IMAGES, "tiny-images", IMAGES);
    expect(tensor.dtype).toBe("uint8");
    expect(tensor.shape).toEqual([2, 2, 3]);
    expect(tensor.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(tensor.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it("accepts an ArrayBuffer", async () => {
    const tensor = await parseIdx(TINY_IMAGES.slice().buffer, "tiny-images");
    expect(tensor.shape).toEqual([2, 2, 3]);
  });

  it("copies data out of the input buffer", async () => {
    const input = TINY_IMAGES.slice();
    const tensor = await parseIdx(input, "tiny-images");
    input[16] = 99;
    expect(tensor.data[0]).toBe(0);
    expect(tensor.data.length).toBe(12);
  });

  it("decompresses gzip input", async () => {
    const compressed = new Uint8Array(gzipSync(TINY_IMAGES));
    expect(compressed[0]).toBe(0x1f);
    expect(compressed[1]).toBe(0x8b);

    const tensor = await parseIdx(compressed, "tiny-images.gz", IMAGES);
    expect(tensor.shape).toEqual([2, 2, 3]);
    expect(Array.from(tensor.data)).toEqual(Array.from(TINY_IMAGES.subarray(16)));
  });

  it("reads big-endian int16 and float32", async () => {
    const shorts = await parseIdx(idxBytes(0x0b, [2], [0xff, 0xfe, 0x01, 0x02]), "shorts");
    expect(shorts.dtype).toBe("int16");
    expect(shorts.data).toBeInstanceOf(Int16Array);
    expect(Array.from(shorts.data)).toEqual([-2, 258]);

    // 0x3fc00000 is 1.5 in IEEE 754 single precision.
    const floats = await parseIdx(idxBytes(0x0d, [1], [0x3f, 0xc0, 0x00, 0x00]), "floats");
    expect(floats.dtype).toBe("float32");
    expect(Array.from(floats.data)).toEqual([1.5]);
  });

  it("rejects a magic number that differs from the expected one", async () => {
    const labels = idxBytes(0x08, [2], [1, 2]);
    const error = await captureError(parseIdx(labels, "train-images-idx3-ubyte", IMAGES));
    expect(error.message).toContain(
      "invalid IDX magic number in train-images-idx3-ubyte: 0x00000801 (expected 0x00000803 for images)",
    );
    expect(error.file).toBe("train-images-idx3-ubyte");
    expect(error.field).toBe("magic number");
    expect(error.value).toBe("0x00000801");
  });

  it("rejects an unknown magic number", async () => {
    const bytes = new Uint8Array([0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0]);
    const error = await captureError(parseIdx(bytes, "notes.txt"));
    expect(error.message).toMatch(/^invalid IDX magic number in notes\.txt: 0x12345678 \(expected 0x0000TTDD/);
    expect(error.value).toBe("0x12345678");
  });

  it("rejects a file shorter than the magic number", async () => {
    const error = await captureError(parseIdx(new Uint8Array([0, 0, 8]), "short"));
    expect(error.message).toContain("invalid IDX byte length in short: 3 bytes (expected at least 4 bytes");
    expect(error.field).toBe("byte length");
  });

  it("rejects a truncated header", async () => {
    const error = await captureError(parseIdx(TINY_IMAGES.subarray(0, 10), "tiny-images"));
    expect(error.message).toContain("invalid IDX byte length in tiny-images: 10 bytes (expected at least 16 bytes");
  });

  it("rejects truncated data with expected and actual lengths", async () => {
    const error = await captureError(parseIdx(TINY_IMAGES.subarray(0, 25), "tiny-images", IMAGES));
    expect(error.message).toContain(
      "invalid IDX byte length in tiny-images: 25 bytes (expected 28 bytes = 16-byte header + 2×2×3 values × 1 byte)",
    );
    expect(error.value).toBe("25");
  });

  it("rejects trailing bytes", async () => {
    const longer = new Uint8Array(TINY_IMAGES.length + 1);
    longer.set(TINY_IMAGES);
    const error = await captureError(parseIdx(longer, "tiny-images"));
    expect(error.message).toContain("tiny-images: 29 bytes (expected 28 bytes");
  });

  it("rejects truncated gzip data", async () => {
    const compressed = new Uint8Array(gzipSync(TINY_IMAGES));
    const error = await captureError(parseIdx(compressed.subarray(0, 20), "tiny-images.gz"));
    expect(error.message).toMatch(/^invalid gzip data in tiny-images\.gz: .* \(expected a complete gzip stream\)/);
    expect(error.field).toBe("gzip data");
    expect(error.cause).toBeDefined();
  });
});
