import type { Domain } from "../data/types.ts";
import { InputError } from "../errors.ts";

/** A fixed set of images from both domains, recorded every epoch. */
export interface ProbeSet extends Domain {
  /** 0 for a source image, 1 for a target image. */
  domainIndex: Uint8Array;
  domainNames: [string, string];
}

/** Concatenates a source sample and a target sample into one probe set, source first. */
export function makeProbeSet(source: Domain, target: Domain): ProbeSet {
  if (source.classNames.join() !== target.classNames.join()) {
    throw new InputError(
      `invalid probe domains: ${source.name} has classes [${source.classNames.join(", ")}] but ${target.name} has [${target.classNames.join(", ")}] (expected the same classes in the same order)`,
      { field: "classNames" },
    );
  }
  const count = source.count + target.count;
  const images = new Uint8Array(count * 784);
  images.set(source.images.subarray(0, source.count * 784), 0);
  images.set(target.images.subarray(0, target.count * 784), source.count * 784);
  const labels = new Uint8Array(count);
  labels.set(source.labels.subarray(0, source.count), 0);
  labels.set(target.labels.subarray(0, target.count), source.count);
  const domainIndex = new Uint8Array(count);
  domainIndex.fill(1, source.count);
  return {
    name: `probe (${source.count} ${source.name}, ${target.count} ${target.name})`,
    images,
    labels,
    count,
    classNames: source.classNames,
    domainIndex,
    domainNames: [source.name, target.name],
  };
}
