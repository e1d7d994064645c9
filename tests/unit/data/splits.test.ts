import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/cells/errors.ts";
import { gunzipIfCompressed } from "../../../src/cells/data/gzip.ts";
import { sampleDomain, splitTarget, subsetDomain } from "../../../src/cells/data/splits.ts";
import type { Domain } from "../../../src/cells/data/types.ts";
import { parseUciDigits } from "../../../src/cells/data/uciDigits.ts";

const CLASS_SIZES = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29];

/**
 * Builds a domain whose image i stores i in its first two pixels, so tests can recover which
 * source images a subset contains. Labels cycle through classes until each reaches its CLASS_SIZES count.
 */
function syntheticDomain(sizes: readonly number[] = CLASS_SIZES): Domain {
  const labels: number[] = [];
  const remaining = [...sizes];
  while (remaining.some((left) => left > 0)) {
    remaining.forEach((left, label) => {
      if (left > 0) {
        labels.push(label);
        remaining[label] = left - 1;
      }
    });
  }
  const images = new Uint8Array(labels.length * 784);
  labels.forEach((_, i) => {
    images[i * 784] = i & 0xff;
    images[i * 784 + 1] = i >> 8;
  });
  return {
    name: "synthetic",
    images,
    labels: Uint8Array.from(labels),
    count: labels.length,
    classNames: sizes.map((_, label) => String(label)),
  };
}

function sourceIndices(domain: Domain): number[] {
  return Array.from({ length: domain.count }, (_, i) => domain.images[i * 784]! + 256 * domain.images[i * 784 + 1]!);
}

function classCounts(domain: Domain): number[] {
  const counts = new Array<number>(domain.classNames.length).fill(0);
  domain.labels.forEach((label) => counts[label]!++);
  return counts;
}

function captureError(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

async function loadUci(): Promise<Domain> {
  const file = "public/data/uci-digits/digits.csv.gz";
  const bytes = await gunzipIfCompressed(new Uint8Array(await readFile(file)), file);
  return parseUciDigits(new TextDecoder().decode(bytes), { file });
}

describe("splitTarget", () => {
  const domain = syntheticDomain();

  it("takes the budget from every class", () => {
    const { train } = splitTarget(domain, { budgetPerClass: 5, seed: 1 });
    expect(train.count).toBe(50);
    expect(classCounts(train)).toEqual(new Array(10).fill(5));
    expect(train.name).toBe("synthetic train");
  });

  it("halves the rest into validation and test", () => {
    const { validation, test } = splitTarget(domain, { budgetPerClass: 5, seed: 1 });
    expect(validation.count + test.count).toBe(domain.count - 50);
    expect(Math.abs(validation.count - test.count)).toBeLessThanOrEqual(1);

    const validationCounts = classCounts(validation);
    const testCounts = classCounts(test);
    CLASS_SIZES.forEach((size, label) => {
      const rest = size - 5;
      expect(validationCounts[label]! + testCounts[label]!, `class ${label}`).toBe(rest);
      expect(Math.abs(validationCounts[label]! - testCounts[label]!), `class ${label}`).toBeLessThanOrEqual(1);
    });
  });

  it("returns disjoint sets covering the domain", () => {
    const split = splitTarget(domain, { budgetPerClass: 3, seed: 2 });
    const all = [split.train, split.validation, split.test].flatMap(sourceIndices);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: domain.count }, (_, i) => i));
  });

  it("keeps labels and source order", () => {
    const { validation } = splitTarget(domain, { budgetPerClass: 3, seed: 2 });
    const indices = sourceIndices(validation);
    indices.forEach((source, i) => expect(validation.labels[i], `image ${i}`).toBe(domain.labels[source]));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it("repeats for the same seed", () => {
    const first = splitTarget(domain, { budgetPerClass: 4, seed: 7 });
    const second = splitTarget(domain, { budgetPerClass: 4, seed: 7 });
    expect(sourceIndices(second.train)).toEqual(sourceIndices(first.train));
    expect(sourceIndices(second.validation)).toEqual(sourceIndices(first.validation));
    expect(sourceIndices(second.test)).toEqual(sourceIndices(first.test));
  });

  it("differs across seeds", () => {
    const first = splitTarget(domain, { budgetPerClass: 4, seed: 7 });
    const second = splitTarget(domain, { budgetPerClass: 4, seed: 8 });
    expect(sourceIndices(second.train)).not.toEqual(sourceIndices(first.train));
  });

  it("rejects a budget larger than a class allows", () => {
    const error = captureError(() => splitTarget(domain, { budgetPerClass: 19, seed: 0 }));
    expect(error.message).toContain(
      'invalid budgetPerClass: 19 (expected at most 18, because class "0" of synthetic has 20 images',
    );
    expect(error.field).toBe("budgetPerClass");
    expect(error.value).toBe("19");
  });

  it("accepts the largest budget", () => {
    const { train, validation, test } = splitTarget(domain, { budgetPerClass: 18, seed: 0 });
    expect(train.count).toBe(180);
    expect(classCounts(validation).every((count) => count >= 1)).toBe(true);
    expect(classCounts(test).every((count) => count >= 1)).toBe(true);
  });

  it("rejects a budget that is not a positive integer", () => {
    for (const budgetPerClass of [0, -1, 2.5, Number.NaN]) {
      const error = captureError(() => splitTarget(domain, { budgetPerClass, seed: 0 }));
      expect(error.message, String(budgetPerClass)).toMatch(/^invalid budgetPerClass: .* \(expected a whole number of at least 1\)/);
    }
  });

  it("rejects a domain with a tiny class", () => {
    const error = captureError(() => splitTarget(syntheticDomain([5, 2, 5]), { budgetPerClass: 1, seed: 0 }));
    expect(error.message).toContain('invalid class size in synthetic: class "1" has 2 images (expected at least 3');
  });

  it("splits the UCI digits", async () => {
    const uci = await loadUci();
    const { train, validation, test } = splitTarget(uci, { budgetPerClass: 10, seed: 0 });
    expect(train.count).toBe(100);
    expect(classCounts(train)).toEqual(new Array(10).fill(10));
    expect(validation.count + test.count).toBe(1697);
    expect(Math.abs(validation.count - test.count)).toBeLessThanOrEqual(1);
  });
});

describe("sampleDomain", () => {
  const domain = syntheticDomain();

  it("draws the requested count, stratified", () => {
    const sample = sampleDomain(domain, 50, 3, "probe");
    expect(sample.name).toBe("probe");
    expect(sample.count).toBe(50);
    expect(sample.images.length).toBe(50 * 784);

    const counts = classCounts(sample);
    CLASS_SIZES.forEach((size, label) => {
      const share = (50 * size) / domain.count;
      expect(counts[label], `class ${label}`).toBeGreaterThanOrEqual(Math.floor(share));
      expect(counts[label], `class ${label}`).toBeLessThanOrEqual(Math.ceil(share));
    });
  });

  it("draws distinct images with their labels", () => {
    const sample = sampleDomain(domain, 120, 3, "probe");
    const indices = sourceIndices(sample);
    expect(new Set(indices).size).toBe(120);
    indices.forEach((source, i) => expect(sample.labels[i], `image ${i}`).toBe(domain.labels[source]));
  });

  it("repeats for the same seed and differs across seeds", () => {
    const first = sourceIndices(sampleDomain(domain, 30, "a", "probe"));
    expect(sourceIndices(sampleDomain(domain, 30, "a", "probe"))).toEqual(first);
    expect(sourceIndices(sampleDomain(domain, 30, "b", "probe"))).not.toEqual(first);
  });

  it("returns the whole domain for the full count", () => {
    const sample = sampleDomain(domain, domain.count, 0, "all");
    expect(sourceIndices(sample)).toEqual(Array.from({ length: domain.count }, (_, i) => i));
  });

  it("rejects counts outside 1..size", () => {
    for (const count of [0, domain.count + 1, 1.5]) {
      const error = captureError(() => sampleDomain(domain, count, 0, "probe"));
      expect(error.message, String(count)).toMatch(/^invalid sample count: .* \(expected a whole number from 1 to 245/);
    }
  });
});

describe("subsetDomain", () => {
  it("copies images in ascending index order", () => {
    const domain = syntheticDomain();
    const subset = subsetDomain(domain, [9, 2, 5], "three");
    expect(sourceIndices(subset)).toEqual([2, 5, 9]);
    expect(Array.from(subset.labels)).toEqual([domain.labels[2], domain.labels[5], domain.labels[9]]);
    expect(subset.images.buffer).not.toBe(domain.images.buffer);
  });
});
