import type { Domain } from "./types.ts";
import { imageLengthOf } from "./types.ts";
import { InputError } from "../errors.ts";

/** Two domains restricted to the classes they share, with the classes only one of them has. */
export interface ClassMapping {
  source: Domain;
  target: Domain;
  /** Class names both domains have, in the source's order; the new class indices of both. */
  shared: string[];
  /** Classes of each domain that the other lacks; their images are dropped. */
  unmatched: { source: string[]; target: string[] };
}

/** Folds case and surrounding spaces, so "Cat " and "cat" name the same class. */
const normalize = (name: string) => name.trim().toLowerCase();

/**
 * Matches the two domains' classes by name (ignoring case and surrounding spaces), keeps the
 * images of shared classes, and relabels both domains to the shared classes in the source's
 * order. Unmatched classes are listed, not silently dropped.
 */
export function mapClasses(source: Domain, target: Domain): ClassMapping {
  const targetByName = new Map(target.classNames.map((name, index) => [normalize(name), index]));
  const sourceNames = new Set(source.classNames.map(normalize));
  const shared = source.classNames.filter((name) => targetByName.has(normalize(name)));
  const unmatched = {
    source: source.classNames.filter((name) => !targetByName.has(normalize(name))),
    target: target.classNames.filter((name) => !sourceNames.has(normalize(name))),
  };
  if (shared.length < 2) {
    throw new InputError(
      `invalid class mapping: ${source.name} [${source.classNames.join(", ")}] and ${target.name} [${target.classNames.join(", ")}] share ${shared.length === 0 ? "no class" : `only ${shared[0]}`} (expected at least 2 classes with the same name in both). Rename the class folders or labels to match.`,
      { field: "classNames", value: `[${shared.join(", ")}]` },
    );
  }
  const sharedIndex = new Map(shared.map((name, index) => [normalize(name), index]));
  return {
    source: relabel(source, source.classNames.map((name) => sharedIndex.get(normalize(name))), shared),
    target: relabel(target, target.classNames.map((name) => sharedIndex.get(normalize(name))), shared),
    shared,
    unmatched,
  };
}

/** Keeps the images whose class maps to a shared index, with that index as the new label. */
function relabel(domain: Domain, newIndex: (number | undefined)[], classNames: string[]): Domain {
  if (newIndex.every((index, old) => index === old) && classNames.length === domain.classNames.length) return domain;
  const length = imageLengthOf(domain);
  const kept: number[] = [];
  for (let i = 0; i < domain.count; i++) if (newIndex[domain.labels[i]!] !== undefined) kept.push(i);
  const images = new Uint8Array(kept.length * length);
  const labels = new Uint8Array(kept.length);
  kept.forEach((from, to) => {
    images.set(domain.images.subarray(from * length, (from + 1) * length), to * length);
    labels[to] = newIndex[domain.labels[from]!]!;
  });
  const mapped: Domain = { ...domain, images, labels, count: kept.length, classNames: [...classNames] };
  return mapped;
}
