import type { LayerCorrelation } from "./structureLevel.ts";

/** The part of a layer's correlation matrix that the cells leave out, for its histograms. */
export interface CorrelationRest {
  /** Target neurons that are not important, in ascending order. */
  targets: number[];
  /** Per entry of `targets`: the largest |r| to any source neuron. */
  bestR: Float32Array;
  /** How many of `targets` have no source neuron with |r| at or above the match threshold. */
  unmatched: number;
  /** Every source × target r outside the important × important cells, row-major by source. */
  correlations: Float32Array;
}

/**
 * Collects what the correlation cells do not show: each remaining target neuron's best |r|
 * and every correlation with a source or target neuron outside the important ones. Both are
 * empty when every neuron is important.
 */
export function correlationRest(correlation: LayerCorrelation): CorrelationRest {
  const { sourceColumns, targetColumns, correlations, important, matches } = correlation;
  const isImportant = new Set(important);
  const targets = matches.filter((match) => !isImportant.has(match.target));
  const bestR = Float32Array.from(targets, (match) => Math.abs(match.closest[0]?.r ?? 0));

  const cells = important.filter((neuron) => neuron < sourceColumns).length * important.filter((neuron) => neuron < targetColumns).length;
  const rest = new Float32Array(sourceColumns * targetColumns - cells);
  let next = 0;
  for (let source = 0; source < sourceColumns; source++) {
    for (let target = 0; target < targetColumns; target++) {
      if (isImportant.has(source) && isImportant.has(target)) continue;
      rest[next++] = correlations[source * targetColumns + target]!;
    }
  }
  return {
    targets: targets.map((match) => match.target),
    bestR,
    unmatched: targets.filter((match) => !match.matched).length,
    correlations: rest,
  };
}
