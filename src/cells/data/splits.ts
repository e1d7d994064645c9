import { InputError, describeValue } from "../errors.ts";
import { createRandom, shuffle, type Seed } from "../random.ts";
import { imageLengthOf, type Domain } from "./types.ts";

/**
 * Seeded, stratified subsets of a domain. The same domain and seed always give the same
 * subsets, and every subset keeps its images in their order in the original domain.
 */

export interface TargetSplitOptions {
  /** Training images per class. */
  budgetPerClass: number;
  seed: Seed;
}

export interface TargetSplit {
  train: Domain;
  validation: Domain;
  test: Domain;
}

/**
 * Splits a target domain into disjoint sets. Train takes exactly `budgetPerClass` images of
 * each class. Each class's remaining images go half to validation and half to test. When a
 * class leaves an odd number, the extra image goes alternately to test and to validation,
 * so the two set sizes differ by at most one.
 */
export function splitTarget(domain: Domain, options: TargetSplitOptions): TargetSplit {
  const { budgetPerClass, seed } = options;
  if (!Number.isSafeInteger(budgetPerClass) || budgetPerClass < 1) {
    throw new InputError(
      `invalid budgetPerClass: ${describeValue(budgetPerClass)} (expected a whole number of at least 1). Pass the number of training images per class.`,
      { field: "budgetPerClass", value: describeValue(budgetPerClass) },
    );
  }

  const byClass = indicesByClass(domain);
  checkBudget(domain, byClass, budgetPerClass);

  const random = createRandom(seed);
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  let extraToTest = true;

  for (const indices of byClass) {
    const shuffled = shuffle(indices, random);
    const rest = shuffled.length - budgetPerClass;
    let validationCount = Math.floor(rest / 2);
    if (rest % 2 === 1) {
      if (!extraToTest) validationCount += 1;
      extraToTest = !extraToTest;
    }
    append(train, shuffled.slice(0, budgetPerClass));
    append(validation, shuffled.slice(budgetPerClass, budgetPerClass + validationCount));
    append(test, shuffled.slice(budgetPerClass + validationCount));
  }

  return {
    train: subsetDomain(domain, train, `${domain.name} train`),
    validation: subsetDomain(domain, validation, `${domain.name} validation`),
    test: subsetDomain(domain, test, `${domain.name} test`),
  };
}

/**
 * Draws `count` images without replacement, stratified by class: each class gets its share
 * count × classSize / domainSize rounded down, and the images left over go to the classes
 * with the largest remainders (ties to the lower class index).
 * NOTE: calls with different seeds may share images. For disjoint sets, sample from different
 * domains (e.g. MNIST train and MNIST test) or use {@link splitTarget}.
 */
export function sampleDomain(domain: Domain, count: number, seed: Seed, name: string): Domain {
  if (!Number.isSafeInteger(count) || count < 1 || count > domain.count) {
    throw new InputError(
      `invalid sample count: ${describeValue(count)} (expected a whole number from 1 to ${domain.count}, the size of ${domain.name}). Request a count in that range.`,
      { field: "count", value: describeValue(count) },
    );
  }

  const byClass = indicesByClass(domain);
  const quotas = allocateByLargestRemainder(
    byClass.map((indices) => indices.length),
    count,
  );

  const random = createRandom(seed);
  const chosen: number[] = [];
  byClass.forEach((indices, classIndex) => {
    append(chosen, shuffle(indices, random).slice(0, quotas[classIndex]));
  });
  return subsetDomain(domain, chosen, name);
}

/** Copies the images at `indices` into a new domain, in ascending index order. */
export function subsetDomain(domain: Domain, indices: readonly number[], name: string): Domain {
  const sorted = Int32Array.from(indices).sort();
  const length = imageLengthOf(domain);
  const images = new Uint8Array(sorted.length * length);
  const labels = new Uint8Array(sorted.length);

  sorted.forEach((source, target) => {
    images.set(domain.images.subarray(source * length, (source + 1) * length), target * length);
    labels[target] = domain.labels[source]!;
  });

  const subset: Domain = { name, images, labels, count: sorted.length, classNames: [...domain.classNames] };
  if (domain.shape) subset.shape = domain.shape;
  return subset;
}

/** Appends in a loop, because spreading a large class into push() can exceed the argument limit. */
function append(target: number[], items: readonly number[]): void {
  for (const item of items) target.push(item);
}

function indicesByClass(domain: Domain): number[][] {
  const byClass: number[][] = domain.classNames.map(() => []);
  for (let i = 0; i < domain.count; i++) {
    const label = domain.labels[i]!;
    const bucket = byClass[label];
    if (bucket === undefined) {
      throw new InputError(
        `invalid label of image ${i} in ${domain.name}: ${label} (expected 0..${domain.classNames.length - 1}, one per class name). Check how the domain was built.`,
        { field: `labels[${i}]`, value: String(label) },
      );
    }
    bucket.push(i);
  }
  return byClass;
}

function checkBudget(domain: Domain, byClass: number[][], budgetPerClass: number): void {
  // Validation and test need at least one image of every class each.
  const reserved = 2;
  let smallest = 0;
  byClass.forEach((indices, classIndex) => {
    if (indices.length < byClass[smallest]!.length) smallest = classIndex;
  });
  const smallestSize = byClass[smallest]!.length;
  const className = domain.classNames[smallest]!;
  const maximum = smallestSize - reserved;

  if (maximum < 1) {
    throw new InputError(
      `invalid class size in ${domain.name}: class "${className}" has ${smallestSize} images (expected at least ${reserved + 1}, one each for train, validation and test). Use a domain with more images of every class.`,
      { field: `class ${className}`, value: String(smallestSize) },
    );
  }
  if (budgetPerClass > maximum) {
    throw new InputError(
      `invalid budgetPerClass: ${budgetPerClass} (expected at most ${maximum}, because class "${className}" of ${domain.name} has ${smallestSize} images and validation and test need at least one each). Choose a smaller budget.`,
      { field: "budgetPerClass", value: String(budgetPerClass) },
    );
  }
}

/** Splits `total` into integer parts proportional to `sizes` (Hamilton's method). */
function allocateByLargestRemainder(sizes: readonly number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  // Exact integer arithmetic, because total × size stays below 2^53 for any domain in memory.
  const remainders = sizes.map((size, classIndex) => ({ classIndex, remainder: (total * size) % sum }));
  const quotas = sizes.map((size, classIndex) => (total * size - remainders[classIndex]!.remainder) / sum);
  remainders.sort((a, b) => b.remainder - a.remainder || a.classIndex - b.classIndex);

  let left = total - quotas.reduce((a, b) => a + b, 0);
  for (const { classIndex } of remainders) {
    if (left === 0) break;
    quotas[classIndex] += 1;
    left -= 1;
  }
  return quotas;
}
