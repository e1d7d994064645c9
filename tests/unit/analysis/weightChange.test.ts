import { describe, expect, test } from "vitest";
import { poolChannels } from "../../../src/cells/analysis/layerSimilarity.ts";
import { relativeWeightChange } from "../../../src/cells/analysis/weightChange.ts";
import type { LayerWeight } from "../../../src/cells/training/types.ts";

const weight = (name: string, values: number[]): LayerWeight => ({ name, shape: [values.length], values: Float32Array.from(values) });

describe("relativeWeightChange", () => {
  test("groups kernel and bias per layer", () => {
    const source = [weight("conv1/kernel", [3, 0]), weight("conv1/bias", [4]), weight("dense/kernel", [1, 1])];
    const target = [weight("conv1/kernel", [3, 0]), weight("conv1/bias", [4]), weight("dense/kernel", [1, 2])];
    const [conv, dense] = relativeWeightChange(source, target);
    expect(conv).toEqual({ layer: "conv1", relative: 0, sourceNorm: 5 });
    expect(dense!.layer).toBe("dense");
    expect(dense!.relative).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(dense!.sourceNorm).toBeCloseTo(Math.SQRT2, 12);
  });

  test("zero source weights give 0 or Infinity", () => {
    expect(relativeWeightChange([weight("b", [0])], [weight("b", [0])])[0]!.relative).toBe(0);
    expect(relativeWeightChange([weight("b", [0])], [weight("b", [1])])[0]!.relative).toBe(Number.POSITIVE_INFINITY);
  });

  test("rejects weights of another model", () => {
    expect(() => relativeWeightChange([weight("a/kernel", [1])], [weight("b/kernel", [1])])).toThrow("invalid target weight: b/kernel with 1 values (expected a/kernel with 1)");
  });
});

describe("poolChannels", () => {
  test("averages positions per channel", () => {
    // One row, 2 positions × 3 channels, channels-last.
    expect(Array.from(poolChannels(Float32Array.from([1, 2, 3, 3, 4, 5]), 1, 3))).toEqual([2, 3, 4]);
    expect(() => poolChannels(new Float32Array(5), 1, 3)).toThrow("invalid conv activations length: 5");
  });
});
