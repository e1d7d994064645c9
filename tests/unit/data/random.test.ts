import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/cells/errors.ts";
import { createRandom, shuffle, shuffledIndices } from "../../../src/cells/random.ts";

describe("createRandom", () => {
  it("repeats a sequence for a seed", () => {
    const first = createRandom(42);
    const second = createRandom(42);
    const a = Array.from({ length: 5 }, first);
    const b = Array.from({ length: 5 }, second);
    expect(b).toEqual(a);
  });

  it("treats a number and its string alike", () => {
    expect(createRandom(42)()).toBe(createRandom("42")());
  });

  it("differs across seeds", () => {
    expect(createRandom(1)()).not.toBe(createRandom(2)());
  });

  it("returns values in [0, 1)", () => {
    const random = createRandom("range");
    for (let i = 0; i < 1000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it("rejects a non-integer seed", () => {
    for (const seed of [Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => createRandom(seed), String(seed)).toThrow(InputError);
      expect(() => createRandom(seed), String(seed)).toThrow(/^invalid seed: /);
    }
  });
});

describe("shuffle", () => {
  it("returns a permutation and leaves the input alone", () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const output = shuffle(input, 3);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...output].sort((a, b) => a - b)).toEqual(input);
  });

  it("repeats for a seed", () => {
    expect(shuffledIndices(20, 5)).toEqual(shuffledIndices(20, 5));
    expect(shuffledIndices(20, 5)).not.toEqual(shuffledIndices(20, 6));
  });

  it("places every item first about equally often", () => {
    const random = createRandom(0);
    const firsts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) firsts[shuffle([0, 1, 2, 3], random)[0]!]!++;
    // Each count is binomial(8000, 1/4): mean 2000, standard deviation about 39.
    firsts.forEach((count, item) => expect(Math.abs(count - 2000), `item ${item}`).toBeLessThan(200));
  });

  it("handles empty and single-item arrays", () => {
    expect(shuffle([], 0)).toEqual([]);
    expect(shuffle(["a"], 0)).toEqual(["a"]);
  });
});
