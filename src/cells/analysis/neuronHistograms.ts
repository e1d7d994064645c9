import type { KernelContext } from "../../gpu/kernels/context.ts";
import { columnHistograms } from "../../gpu/kernels/histograms.ts";
import { InputError } from "../errors.ts";
import { checkInteger, checkMatrix } from "./checks.ts";

export interface MirroredHistograms {
  bins: number;
  /** Range of each neuron over both domains, [min₀, max₀, min₁, max₁, …]; both histograms share it. */
  ranges: Float32Array;
  /** Row-major neurons × bins counts of the source rows (domain 0), drawn above the axis. */
  source: Uint32Array;
  /** Row-major neurons × bins counts of the target rows (domain 1), drawn below the axis. */
  target: Uint32Array;
}

/**
 * Counts each neuron's activations (columns of `activations`, n × d) on source rows and on
 * target rows into the same equal-width bins, so the two histograms of a neuron can be drawn
 * mirrored and compared bin by bin. Counting runs on the GPU.
 */
export async function mirroredHistograms(
  context: KernelContext,
  activations: Float32Array,
  n: number,
  d: number,
  domainIndex: ArrayLike<number>,
  bins: number,
): Promise<MirroredHistograms> {
  checkMatrix("activations", activations, n, d);
  checkInteger("histogram bins", bins, 1);
  const ranges = new Float32Array(2 * d);
  for (let j = 0; j < d; j++) {
    ranges[2 * j] = Number.POSITIVE_INFINITY;
    ranges[2 * j + 1] = Number.NEGATIVE_INFINITY;
  }
  const rows: [number[], number[]] = [[], []];
  for (let i = 0; i < n; i++) {
    const domain = domainIndex[i];
    if (domain !== 0 && domain !== 1) {
      throw new InputError(`invalid domainIndex value: ${domain} at row ${i} (expected 0 for source or 1 for target)`, { field: "domainIndex", value: String(domain) });
    }
    rows[domain].push(i);
    for (let j = 0; j < d; j++) {
      ranges[2 * j] = Math.min(ranges[2 * j]!, activations[i * d + j]!);
      ranges[2 * j + 1] = Math.max(ranges[2 * j + 1]!, activations[i * d + j]!);
    }
  }
  const count = async (domainRows: number[]) => {
    if (domainRows.length === 0) return new Uint32Array(d * bins);
    const data = new Float32Array(domainRows.length * d);
    domainRows.forEach((row, i) => data.set(activations.subarray(row * d, (row + 1) * d), i * d));
    return columnHistograms(context, { data, rows: domainRows.length, columns: d }, { bins, ranges });
  };
  return { bins, ranges, source: await count(rows[0]), target: await count(rows[1]) };
}
