import { expect, test } from "vitest";
import { summarize } from "../../../src/app/inspect.ts";

test("typed array shows length and first items", () => {
  const values = new Uint8Array(20).map((_, i) => i);
  expect(summarize(values, 1)).toBe("Uint8Array(20) [0, 1, 2, 3, 4, 5, 6, 7, …]");
});

test("large typed array shows its full length", () => {
  expect(summarize(new Uint8Array(47_040_000), 1)).toBe("Uint8Array(47040000) [0, 0, 0, 0, 0, 0, 0, 0, …]");
});

test("fractions show three decimals", () => {
  expect(summarize(new Float32Array([0.5, 0.25]), 1)).toBe("Float32Array(2) [0.500, 0.250]");
});

test("objects name their class and fields", () => {
  class Point {
    x = 1;
    y = 2;
  }
  expect(summarize(new Point(), 0)).toBe("Point {x: 1, y: 2}");
  expect(summarize({ nested: { deep: { deeper: 1 } } }, 0)).toBe("{nested: {deep: Object}}");
});
