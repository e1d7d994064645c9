import { Field, FixedSizeList, Table, Uint8, tableToIPC, vectorFromArray } from "apache-arrow";
import { describe, expect, test } from "vitest";
import { domainFromArrow } from "../../../src/cells/data/arrow.ts";

/** Writes an Arrow IPC file with two 2 × 2 × 1 images, labelled by name. */
function arrowFile(labels: string[]): Uint8Array {
  const pixels = new FixedSizeList(4, new Field("pixel", new Uint8()));
  const table = new Table({
    image: vectorFromArray([Uint8Array.of(0, 64, 128, 255), Uint8Array.of(1, 2, 3, 4)], pixels),
    label: vectorFromArray(labels),
  });
  return tableToIPC(table);
}

describe("domainFromArrow", () => {
  test("reads images and string labels", () => {
    const domain = domainFromArrow(arrowFile(["dog", "cat"]), { shape: [2, 2, 1], file: "pets.arrow" });
    expect(domain.classNames).toEqual(["cat", "dog"]);
    expect(Array.from(domain.labels)).toEqual([1, 0]);
    expect(Array.from(domain.images)).toEqual([0, 64, 128, 255, 1, 2, 3, 4]);
    expect(domain.shape).toEqual([2, 2, 1]);
  });

  test("rejects a label outside classNames", () => {
    expect(() => domainFromArrow(arrowFile(["dog", "owl"]), { shape: [2, 2, 1], classNames: ["cat", "dog"], file: "pets.arrow" })).toThrow(
      'invalid label in pets.arrow: "owl" in row 1 of column label (expected one of cat, dog).',
    );
  });

  test("names a missing column", () => {
    expect(() => domainFromArrow(arrowFile(["dog", "cat"]), { shape: [2, 2, 1], imageColumn: "pixels", file: "pets.arrow" })).toThrow(
      'column not found: "pixels" in pets.arrow (columns: image (FixedSizeList[4]<Uint8>), label (Dictionary<Int32, Utf8>))',
    );
  });

  test("rejects a wrong image size", () => {
    expect(() => domainFromArrow(arrowFile(["dog", "cat"]), { shape: [3, 3, 1], file: "pets.arrow" })).toThrow(
      "invalid image in pets.arrow: row 0 of column image has 4 values (expected 3 × 3 × 1 = 9).",
    );
  });

  test("rejects bytes that are not Arrow", () => {
    expect(() => domainFromArrow(new TextEncoder().encode("label,image\n"), { shape: [2, 2, 1], file: "pets.csv" })).toThrow("invalid Arrow file: pets.csv could not be read");
  });
});
