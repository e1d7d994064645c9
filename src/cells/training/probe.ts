import { sampleDomain } from "../data/splits.ts";
import { imageLengthOf, imageShapeOf, type Domain } from "../data/types.ts";
import { InputError } from "../errors.ts";

/** A fixed set of images from both domains, recorded every epoch. */
export interface ProbeSet extends Domain {
  /** 0 for a source image, 1 for a target image. */
  domainIndex: Uint8Array;
  domainNames: [string, string];
  /** Images kept and images offered per domain, when a domain was larger than `maxPerDomain`. */
  sampled?: { source: { kept: number; total: number }; target: { kept: number; total: number } };
}

export interface ProbeOptions {
  /**
   * Most images taken from each domain. Every epoch stores count × layer width activations,
   * so a larger domain is sampled (stratified by class, seeded) down to this size.
   */
  maxPerDomain?: number;
  seed?: number;
}

/** Default probe size per domain; 5,000 images × 128 activations × 4 bytes is 2.5 MB per epoch. */
export const defaultMaxProbePerDomain = 5000;

/**
 * Concatenates a source sample and a target sample into one probe set, source first. A domain
 * with more than `maxPerDomain` images is sampled, and the probe's name states the sample size.
 */
export function makeProbeSet(source: Domain, target: Domain, options: ProbeOptions = {}): ProbeSet {
  if (source.classNames.join() !== target.classNames.join()) {
    throw new InputError(
      `invalid probe domains: ${source.name} has classes [${source.classNames.join(", ")}] but ${target.name} has [${target.classNames.join(", ")}] (expected the same classes in the same order). Map the classes by name with mapClasses first.`,
      { field: "classNames" },
    );
  }
  if (imageShapeOf(source).join() !== imageShapeOf(target).join()) {
    throw new InputError(
      `invalid probe domains: ${source.name} has images of shape [${imageShapeOf(source).join(", ")}] but ${target.name} has [${imageShapeOf(target).join(", ")}] (expected one shape). Prepare both domains for the same model.`,
      { field: "shape", value: `[${imageShapeOf(target).join(", ")}]` },
    );
  }
  const maxPerDomain = options.maxPerDomain ?? defaultMaxProbePerDomain;
  const seed = options.seed ?? 1;
  const sourceSample = source.count > maxPerDomain ? sampleDomain(source, maxPerDomain, seed, source.name) : source;
  const targetSample = target.count > maxPerDomain ? sampleDomain(target, maxPerDomain, seed, target.name) : target;
  const length = imageLengthOf(source);
  const count = sourceSample.count + targetSample.count;
  const images = new Uint8Array(count * length);
  images.set(sourceSample.images.subarray(0, sourceSample.count * length), 0);
  images.set(targetSample.images.subarray(0, targetSample.count * length), sourceSample.count * length);
  const labels = new Uint8Array(count);
  labels.set(sourceSample.labels.subarray(0, sourceSample.count), 0);
  labels.set(targetSample.labels.subarray(0, targetSample.count), sourceSample.count);
  const domainIndex = new Uint8Array(count);
  domainIndex.fill(1, sourceSample.count);
  const wasSampled = sourceSample !== source || targetSample !== target;
  const describe = (sample: Domain, whole: Domain) =>
    sample === whole ? `${sample.count} ${whole.name}` : `${sample.count} sampled of ${whole.count} ${whole.name}`;
  const probe: ProbeSet = {
    name: `probe (${describe(sourceSample, source)}, ${describe(targetSample, target)})`,
    images,
    labels,
    count,
    classNames: source.classNames,
    domainIndex,
    domainNames: [source.name, target.name],
  };
  if (source.shape) probe.shape = source.shape;
  if (wasSampled) {
    probe.sampled = {
      source: { kept: sourceSample.count, total: source.count },
      target: { kept: targetSample.count, total: target.count },
    };
  }
  return probe;
}
