import { tableFromArrays } from "apache-arrow";
import { describe, expect, test } from "vitest";
import { packPoints, scatterDataFromTable, sizeSteps, styleBytes } from "../../../src/gpu/scatter/data.ts";
import { automaticOpacity } from "../../../src/gpu/scatter/opacity.ts";

describe("packPoints", () => {
  test("reads Arrow columns", () => {
    const table = tableFromArrays({
      umapX: Float32Array.of(0.5, -1, 2),
      umapY: Float64Array.of(1, 2, 3),
      label: Uint8Array.of(2, 0, 1),
      domain: Uint8Array.of(0, 2, 1),
      wrong: Uint8Array.of(1, 0, 0),
    });
    const data = scatterDataFromTable(table, { x: "umapX", y: "umapY", colour: "label", shape: "domain", outlined: "wrong" });
    const packed = packPoints(data, 3, 7);
    expect(Array.from(packed.positions)).toEqual([0.5, 1, -1, 2, 2, 3]);
    expect(Array.from(packed.styles.subarray(0, styleBytes))).toEqual([2, 0 | 4, 7 * sizeSteps, 255]);
    expect(Array.from(packed.styles.subarray(styleBytes, 2 * styleBytes))).toEqual([0, 2, 7 * sizeSteps, 255]);
    expect(packed.ringed).toBe(1);
    expect(packed.circles).toBe(1);
  });

  test("encodes size and opacity", () => {
    const packed = packPoints({ x: Float32Array.of(0, 1), y: Float32Array.of(0, 1), size: Float32Array.of(2.5, 12), opacity: Float32Array.of(0.5, 1) }, 1, 7);
    expect(packed.styles[2]).toBe(10);
    expect(packed.styles[3]).toBe(128);
    expect(packed.styles[styleBytes + 2]).toBe(48);
    expect(packed.styles[styleBytes + 3]).toBe(255);
  });

  test("names a missing column", () => {
    const table = tableFromArrays({ x: Float32Array.of(1), y: Float32Array.of(2) });
    expect(() => scatterDataFromTable(table, { x: "x", y: "y", colour: "class" })).toThrow('gpu: scatter column not found: "class" for colour');
  });

  test("rejects bad values with their point", () => {
    const base = { x: Float32Array.of(0, 1), y: Float32Array.of(0, 1) };
    expect(() => packPoints({ ...base, size: Float32Array.of(1, 80) }, 1, 7)).toThrow("gpu: invalid size at point 1: 80");
    expect(() => packPoints({ ...base, opacity: Float32Array.of(-0.1, 1) }, 1, 7)).toThrow("gpu: invalid opacity at point 0: -0.1");
    expect(() => packPoints({ ...base, y: Float32Array.of(0) }, 1, 7)).toThrow("gpu: invalid scatter y length: 1 (expected 2, the length of x)");
    expect(() => packPoints({ ...base, colour: [0, 1] as unknown as Uint8Array }, 2, 7)).toThrow("gpu: invalid scatter colour column: Array");
  });
});

describe("automaticOpacity", () => {
  const view = { width: 100, height: 100 };

  test("stays opaque without overlap", () => {
    expect(automaticOpacity(100, 10, view)).toBe(1);
  });

  test("hides 98 % of the background at the average overlap", () => {
    // 1000 sprites of 10 × 10 on 100 × 100 pixels: 10 layers on average.
    const opacity = automaticOpacity(1000, 10, view);
    expect(1 - (1 - opacity) ** 10).toBeCloseTo(0.98, 10);
  });

  test("never drops below 0.02", () => {
    expect(automaticOpacity(1e9, 10, view)).toBe(0.02);
  });
});
