import seedrandom from "seedrandom";
import { InputError, describeValue } from "./errors.ts";

/**
 * Seeded randomness. Project code takes every random choice (splits, sampling, shuffles,
 * initialisation seeds) from these functions, so that a seed reproduces a run exactly.
 */

/** Generator of uniform numbers in [0, 1). */
export type UniformRandom = () => number;

/** Seed accepted by {@link createRandom}: an integer or any string. */
export type Seed = number | string;

/**
 * Creates a uniform generator on [0, 1) from seedrandom's default ARC4 algorithm.
 * The same seed gives the same sequence in every browser and in Node.
 */
export function createRandom(seed: Seed): UniformRandom {
  if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
    throw new InputError(`invalid seed: ${describeValue(seed)} (expected an integer or a string). Pass a whole number such as 0.`, {
      field: "seed",
      value: describeValue(seed),
    });
  }
  const generator = seedrandom(String(seed));
  return () => generator();
}

/**
 * Returns a shuffled copy of `items` by the Fisher–Yates algorithm. `random` is a generator
 * from {@link createRandom} or a seed for a new one.
 */
export function shuffle<T>(items: readonly T[], random: UniformRandom | Seed): T[] {
  const next = typeof random === "function" ? random : createRandom(random);
  const result = items.slice();
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const swap = result[i]!;
    result[i] = result[j]!;
    result[j] = swap;
  }
  return result;
}

/** Returns the indices 0..count-1 in a seeded random order. */
export function shuffledIndices(count: number, random: UniformRandom | Seed): number[] {
  return shuffle(
    Array.from({ length: count }, (_, i) => i),
    random,
  );
}
