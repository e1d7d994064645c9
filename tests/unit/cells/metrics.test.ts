import { describe, expect, test } from "vitest";
import { accuracy, confusionMatrix, perClassAccuracy, topConfusions, transferabilityScore } from "../../../src/cells/training/metrics.ts";

const labels = new Uint8Array([0, 0, 0, 1, 1, 2, 2, 2]);
const predictions = new Uint8Array([0, 1, 0, 1, 2, 2, 1, 1]);

describe("accuracy", () => {
  test("counts exact matches", () => {
    expect(accuracy(predictions, labels)).toBe(4 / 8);
  });
  test("empty set is NaN", () => {
    expect(accuracy(new Uint8Array(), new Uint8Array())).toBeNaN();
  });
  test("length mismatch throws", () => {
    expect(() => accuracy(new Uint8Array(2), new Uint8Array(3))).toThrow("invalid predictions: length 2 (expected 3");
  });
});

describe("confusionMatrix", () => {
  test("hand-computed counts", () => {
    // rows: true class, columns: predicted class
    expect(Array.from(confusionMatrix(predictions, labels, 3))).toEqual([2, 1, 0, 0, 1, 1, 0, 2, 1]);
  });
  test("class out of range throws", () => {
    expect(() => confusionMatrix(new Uint8Array([3]), new Uint8Array([0]), 3)).toThrow("invalid class index: 3 at instance 0 (expected 0..2)");
  });
});

describe("perClassAccuracy", () => {
  test("hand-computed values", () => {
    const result = perClassAccuracy(confusionMatrix(predictions, labels, 3), 3);
    expect(result[0]).toBeCloseTo(2 / 3, 6);
    expect(result[1]).toBeCloseTo(1 / 2, 6);
    expect(result[2]).toBeCloseTo(1 / 3, 6);
  });
  test("absent class is NaN", () => {
    const result = perClassAccuracy(confusionMatrix(new Uint8Array([0]), new Uint8Array([0]), 2), 2);
    expect(result[1]).toBeNaN();
  });
});

describe("topConfusions", () => {
  test("most frequent first, correct predictions excluded", () => {
    const confusion = confusionMatrix(predictions, labels, 3);
    expect(topConfusions(confusion, 3, 2)).toEqual([{ predicted: 1, count: 2 }]);
    expect(topConfusions(confusion, 3, 0)).toEqual([{ predicted: 1, count: 1 }]);
  });
  test("ties go to the lower class", () => {
    const confusion = confusionMatrix(new Uint8Array([2, 1]), new Uint8Array([0, 0]), 3);
    expect(topConfusions(confusion, 3, 0).map((c) => c.predicted)).toEqual([1, 2]);
  });
});

describe("transferabilityScore", () => {
  test("best target minus best source", () => {
    expect(transferabilityScore([0.5, 0.9, 0.85], [0.6, 0.6, 0.6])).toBeCloseTo(0.3, 10);
  });
  test("negative when fine-tuning never beats the source model", () => {
    expect(transferabilityScore([0.4, 0.5], [0.7])).toBeCloseTo(-0.2, 10);
  });
  test("empty series is NaN", () => {
    expect(transferabilityScore([], [0.5])).toBeNaN();
  });
});
