import { expect, test } from "vitest";
import { parseTyped, stringifyTyped } from "../../../src/app/typedJson.ts";

test("typed arrays round-trip exactly", () => {
  const value = {
    activations: new Float32Array([0.1, -2.5, 3e-8, 1e20]),
    predictions: new Uint8Array([0, 9, 255]),
    confusion: new Uint32Array([1, 2 ** 31]),
    nested: [{ layout: new Float32Array([1, 2]) }],
  };
  const restored = parseTyped(stringifyTyped(value), "test.json") as typeof value;
  expect(restored.activations).toBeInstanceOf(Float32Array);
  expect(Array.from(restored.activations)).toEqual(Array.from(value.activations));
  expect(Array.from(restored.predictions)).toEqual([0, 9, 255]);
  expect(Array.from(restored.confusion)).toEqual([1, 2 ** 31]);
  expect(Array.from(restored.nested[0]!.layout)).toEqual([1, 2]);
});

test("subarray views encode only their elements", () => {
  const whole = new Float32Array([1, 2, 3, 4]);
  const restored = parseTyped(stringifyTyped({ part: whole.subarray(1, 3) }), "test.json") as { part: Float32Array };
  expect(Array.from(restored.part)).toEqual([2, 3]);
});

test("NaN and infinities survive", () => {
  const restored = parseTyped(stringifyTyped({ values: [Number.NaN, Infinity, -Infinity, 1] }), "test.json") as { values: number[] };
  expect(restored.values[0]).toBeNaN();
  expect(restored.values.slice(1)).toEqual([Infinity, -Infinity, 1]);
});

test("unknown array type names the file", () => {
  expect(() => parseTyped('{"a":{"$typed":"BigInt64Array","base64":""}}', "report.json")).toThrow(
    'invalid typed array in report.json: "BigInt64Array"',
  );
});

test("byte count not a multiple of the element size is rejected", () => {
  expect(() => parseTyped('{"a":{"$typed":"Float32Array","base64":"AAA="}}', "report.json")).toThrow(
    "invalid Float32Array in report.json: 2 bytes (expected a multiple of 4)",
  );
});
