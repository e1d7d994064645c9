import { describe, expect, test } from "vitest";
import { correlationRest } from "../../../src/cells/analysis/correlationRest.ts";
import { matchThreshold, type LayerCorrelation } from "../../../src/cells/analysis/structureLevel.ts";
import { weightGridPairs, weightGrids } from "../../../src/cells/analysis/weightGrid.ts";
import type { LayerWeight } from "../../../src/cells/training/types.ts";

/** Builds a layer correlation from a row-major source × target matrix, finding matches as layerCorrelation does. */
function correlationOf(rows: number[][], important: number[]): LayerCorrelation {
  const sourceColumns = rows.length;
  const targetColumns = rows[0]!.length;
  const matches = Array.from({ length: targetColumns }, (_, target) => {
    const closest = rows
      .map((row, source) => ({ source, r: row[target]! }))
      .sort((a, b) => Math.abs(b.r) - Math.abs(a.r) || a.source - b.source)
      .slice(0, 3);
    return { target, closest, matched: Math.abs(closest[0]!.r) >= matchThreshold };
  });
  return { layer: "dense1", sourceColumns, targetColumns, correlations: Float32Array.from(rows.flat()), important, matches };
}

describe("correlationRest", () => {
  const matrix = [
    [1, 0.2, -0.3],
    [0.1, 0.9, 0.4],
    [-0.2, 0.3, -0.45],
  ];

  test("lists the targets outside the cells", () => {
    const rest = correlationRest(correlationOf(matrix, [0, 1]));
    expect(rest.targets).toEqual([2]);
    expect(Array.from(rest.bestR)).toEqual([Math.fround(0.45)]);
    expect(rest.unmatched).toBe(1);
  });

  test("keeps correlations outside the cells", () => {
    const rest = correlationRest(correlationOf(matrix, [0, 1]));
    // Row-major: (0,2), (1,2), then the whole source row 2.
    expect(Array.from(rest.correlations)).toEqual([-0.3, 0.4, -0.2, 0.3, -0.45].map(Math.fround));
  });

  test("counts matched rest targets", () => {
    const rest = correlationRest(correlationOf(matrix, [2]));
    expect(rest.targets).toEqual([0, 1]);
    expect(Array.from(rest.bestR)).toEqual([1, Math.fround(0.9)]);
    expect(rest.unmatched).toBe(0);
    expect(rest.correlations).toHaveLength(9 - 1);
  });

  test("empty when every neuron is important", () => {
    const rest = correlationRest(correlationOf(matrix, [0, 1, 2]));
    expect(rest.targets).toEqual([]);
    expect(rest.bestR).toHaveLength(0);
    expect(rest.unmatched).toBe(0);
    expect(rest.correlations).toHaveLength(0);
  });

  test("empty for a one-neuron layer", () => {
    const rest = correlationRest(correlationOf([[0.7]], [0]));
    expect(rest.targets).toEqual([]);
    expect(rest.correlations).toHaveLength(0);
  });

  test("extra source neurons stay in the rest", () => {
    const rest = correlationRest(correlationOf([[1, 0], [0, 1], [0.6, -0.7]], [0, 1]));
    expect(rest.targets).toEqual([]);
    expect(Array.from(rest.correlations)).toEqual([0.6, -0.7].map(Math.fround));
  });
});

/** Builds conv1 with `filters` filters of one 1×1 position feeding dense1 with `units` units, kernel values 1, 2, 3, … */
function twoLayers(filters: number, units: number, head = "dense1"): LayerWeight[] {
  return [
    { name: "conv1/kernel", shape: [1, 1, 1, filters], values: new Float32Array(filters).fill(1) },
    { name: "conv1/bias", shape: [filters], values: new Float32Array(filters) },
    { name: `${head}/kernel`, shape: [filters, units], values: Float32Array.from({ length: filters * units }, (_, i) => i + 1) },
  ];
}

describe("weight grid rest", () => {
  test("holds the weights outside the grid", () => {
    const [grid] = weightGrids(twoLayers(2, 3), new Map([["conv1", [1]], ["dense1", [0, 2]]]));
    expect(Array.from(grid!.values)).toEqual([4, 6]);
    expect(Array.from(grid!.rest)).toEqual([1, 2, 3, 5]);
    expect(grid!.all).toHaveLength(6);
  });

  test("empty when every neuron is important", () => {
    const [grid] = weightGrids(twoLayers(2, 3), new Map([["conv1", [0, 1]], ["dense1", [0, 1, 2]]]));
    expect(grid!.values).toHaveLength(6);
    expect(grid!.rest).toHaveLength(0);
  });

  test("empty for one neuron each", () => {
    const [grid] = weightGrids(twoLayers(1, 1), new Map());
    expect(Array.from(grid!.values)).toEqual([1]);
    expect(grid!.rest).toHaveLength(0);
  });

  test("repeated important neurons count once", () => {
    const [grid] = weightGrids(twoLayers(2, 3), new Map([["conv1", [1, 1]], ["dense1", [2, 2, 7, -1]]]));
    expect(grid!.rows).toEqual([1]);
    expect(grid!.columns).toEqual([2]);
    expect(grid!.rest).toHaveLength(5);
  });
});

describe("weightGridPairs", () => {
  const important = new Map([["conv1", [1]], ["dense1", [0, 2]]]);

  test("pairs equal layers over the same neurons", () => {
    const source = twoLayers(2, 3);
    const target = twoLayers(2, 3).map((weight) => ({ ...weight, values: weight.values.map((value) => -value) }));
    const [pair, ...others] = weightGridPairs(target, source, important);
    expect(others).toEqual([]);
    expect([pair!.from, pair!.to]).toEqual(["conv1", "dense1"]);
    expect(pair!.target!.rows).toEqual(pair!.source!.rows);
    expect(pair!.target!.columns).toEqual(pair!.source!.columns);
    expect(Array.from(pair!.source!.values)).toEqual([4, 6]);
    expect(Array.from(pair!.target!.values)).toEqual([-4, -6]);
  });

  test("keeps a replaced head on its own side", () => {
    const pairs = weightGridPairs(twoLayers(2, 3, "head"), twoLayers(2, 3, "output"), important);
    expect(pairs.map(({ from, to, target, source }) => [from, to, target !== undefined, source !== undefined])).toEqual([
      ["conv1", "head", true, false],
      ["conv1", "output", false, true],
    ]);
  });
});
