import { describe, expect, test } from "vitest";
import { domainFromArrays } from "../../../src/cells/data/arrays.ts";
import { mapClasses } from "../../../src/cells/data/classMap.ts";

/** A domain of 1 × 1 × 1 images whose single pixel is the image's index, so tests can follow images. */
function domain(name: string, classNames: string[], labels: number[]) {
  return domainFromArrays({ name, images: Uint8Array.from(labels, (_, i) => i), shape: [1, 1, 1], labels, classNames });
}

describe("mapClasses", () => {
  test("matches names ignoring case", () => {
    const mapping = mapClasses(domain("A", ["cat", "dog", "fox"], [0, 1, 2]), domain("B", ["Dog", " CAT ", "owl"], [0, 1, 2, 1]));
    expect(mapping.shared).toEqual(["cat", "dog"]);
    expect(mapping.unmatched).toEqual({ source: ["fox"], target: ["owl"] });
  });

  test("relabels to source order", () => {
    const mapping = mapClasses(domain("A", ["cat", "dog", "fox"], [0, 1, 2]), domain("B", ["Dog", " CAT ", "owl"], [0, 1, 2, 1]));
    expect(mapping.target.classNames).toEqual(["cat", "dog"]);
    // Target images 0 (Dog), 1 (CAT) and 3 (CAT) stay; image 2 (owl) is left out.
    expect(Array.from(mapping.target.images)).toEqual([0, 1, 3]);
    expect(Array.from(mapping.target.labels)).toEqual([1, 0, 0]);
    expect(Array.from(mapping.source.images)).toEqual([0, 1]);
  });

  test("keeps identical domains as they are", () => {
    const source = domain("A", ["0", "1"], [0, 1]);
    expect(mapClasses(source, domain("B", ["0", "1", "x"], [2, 0])).source).toBe(source);
  });

  test("rejects fewer than two shared", () => {
    expect(() => mapClasses(domain("A", ["cat", "dog"], [0, 1]), domain("B", ["cat", "owl"], [0, 1]))).toThrow(
      "invalid class mapping: A [cat, dog] and B [cat, owl] share only cat",
    );
  });
});

describe("domainFromArrays", () => {
  test("scales floats to bytes", () => {
    const result = domainFromArrays({ name: "f", images: new Float32Array([0, 0.5, 1, 0.25]), shape: [2, 1, 1], labels: [0, 1], classNames: ["a", "b"] });
    expect(Array.from(result.images)).toEqual([0, 128, 255, 64]);
    expect(result.preparation).toEqual(["values in 0..1 stored as 0..255"]);
  });

  test("rejects floats outside 0..1", () => {
    expect(() => domainFromArrays({ name: "f", images: new Float32Array([0, 3]), shape: [1, 1, 1], labels: [0, 1], classNames: ["a", "b"] })).toThrow(
      "invalid pixel value in f: 3 at index 1 (expected floats in 0..1",
    );
  });

  test("rejects a length mismatch", () => {
    expect(() => domainFromArrays({ name: "n", images: new Uint8Array(5), shape: [2, 2, 1], labels: [0], classNames: ["a", "b"] })).toThrow(
      "invalid images length in n: 5 values (expected 1 labels × 2 × 2 × 1 = 4)",
    );
  });

  test("rejects one class", () => {
    expect(() => domainFromArrays({ name: "one", images: new Uint8Array(1), shape: [1, 1, 1], labels: [0], classNames: ["a"] })).toThrow(
      "invalid classNames in one: [a] (expected at least 2 classes",
    );
  });
});
