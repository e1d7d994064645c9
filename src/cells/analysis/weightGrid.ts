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
  /** Every channel-to-unit weight of the pair, the important ones included, for the box plot and histogram of the rest. */
  all: Float32Array;
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
    grids.push({ from, to, rows, columns, values, all: summed });
  }
  return grids;
}

function layerOf(weight: LayerWeight): string {
  return weight.name.slice(0, weight.name.lastIndexOf("/"));
}

function pick(neurons: readonly number[] | undefined, count: number): number[] {
  const valid = (neurons ?? Array.from({ length: Math.min(12, count) }, (_, i) => i)).filter((neuron) => neuron < count);
  return valid.length > 0 ? [...valid] : [0];
}
