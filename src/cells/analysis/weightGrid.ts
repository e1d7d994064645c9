import type { LayerWeight } from "../training/types.ts";

/** Weights from the important neurons of one layer to the important neurons of the next. */
export interface WeightGrid {
  from: string;
  to: string;
  /** Important input neurons (channels of `from`) and output neurons (units of `to`). */
  rows: number[];
  columns: number[];
  /** rows × columns weights, each summed over the kernel's spatial positions or the flattened positions of a channel. */
  values: Float32Array;
  /** Every channel-to-unit weight of the pair, the important ones included, row-major by channel. */
  all: Float32Array;
  /** The channel-to-unit weights outside the grid, for its box plot and histogram. Empty when every neuron is important. */
  rest: Float32Array;
}

/**
 * Builds a grid for each pair of consecutive weighted layers whose kernels are dense
 * ([inputs, units]) or 2-D convolutions ([height, width, channels, filters]). A dense layer
 * after a flattened conv layer sees positions × channels inputs in channels-last order, so
 * input i belongs to channel i mod channels. `important` names each layer's important
 * neurons; a layer missing from it uses its first 12 neurons.
 */
export function weightGrids(weights: readonly LayerWeight[], important: ReadonlyMap<string, readonly number[]>): WeightGrid[] {
  const kernels = weights.filter((weight) => weight.name.endsWith("/kernel") && (weight.shape.length === 2 || weight.shape.length === 4));
  const grids: WeightGrid[] = [];
  for (let k = 1; k < kernels.length; k++) {
    const previous = kernels[k - 1]!;
    const kernel = kernels[k]!;
    const channels = previous.shape.at(-1)!;
    const units = kernel.shape.at(-1)!;
    const inputs = kernel.values.length / units;
    if (inputs % channels !== 0) continue;
    const from = layerOf(previous);
    const to = layerOf(kernel);
    // Channel-to-unit sums: a conv kernel repeats each channel once per spatial position, and
    // a flattened input repeats it once per position of the previous layer's output.
    const summed = new Float32Array(channels * units);
    for (let input = 0; input < inputs; input++) {
      const channel = input % channels;
      for (let unit = 0; unit < units; unit++) summed[channel * units + unit]! += kernel.values[input * units + unit]!;
    }
    const rows = pick(important.get(from), channels);
    const columns = pick(important.get(to), units);
    const values = new Float32Array(rows.length * columns.length);
    rows.forEach((row, i) => columns.forEach((column, j) => (values[i * columns.length + j] = summed[row * units + column]!)));
    grids.push({ from, to, rows, columns, values, all: summed, rest: outside(summed, units, rows, columns) });
  }
  return grids;
}

/** The grids of one pair of layers in the target model and in the source model; either is missing where that model lacks the pair. */
export interface WeightGridPair {
  from: string;
  to: string;
  target?: WeightGrid;
  source?: WeightGrid;
}

/**
 * Builds the grids of the target model and of the source model over the same important
 * neurons, paired by layer names so their cells line up. Pairs follow the target model's
 * order, then come the pairs only the source model has, such as a head that a new one replaced.
 */
export function weightGridPairs(target: readonly LayerWeight[], source: readonly LayerWeight[], important: ReadonlyMap<string, readonly number[]>): WeightGridPair[] {
  const pairs = new Map<string, WeightGridPair>();
  for (const grid of weightGrids(target, important)) pairs.set(`${grid.from} → ${grid.to}`, { from: grid.from, to: grid.to, target: grid });
  for (const grid of weightGrids(source, important)) {
    const key = `${grid.from} → ${grid.to}`;
    pairs.set(key, { from: grid.from, to: grid.to, ...pairs.get(key), source: grid });
  }
  return [...pairs.values()];
}

function outside(summed: Float32Array, units: number, rows: readonly number[], columns: readonly number[]): Float32Array {
  const inRows = new Set(rows);
  const inColumns = new Set(columns);
  const rest = new Float32Array(summed.length - rows.length * columns.length);
  let next = 0;
  for (let i = 0; i < summed.length; i++) {
    if (inRows.has(Math.floor(i / units)) && inColumns.has(i % units)) continue;
    rest[next++] = summed[i]!;
  }
  return rest;
}

function layerOf(weight: LayerWeight): string {
  return weight.name.slice(0, weight.name.lastIndexOf("/"));
}

function pick(neurons: readonly number[] | undefined, count: number): number[] {
  const valid = (neurons ?? Array.from({ length: Math.min(12, count) }, (_, i) => i)).filter((neuron) => Number.isInteger(neuron) && neuron >= 0 && neuron < count);
  return valid.length > 0 ? [...new Set(valid)] : [0];
}
