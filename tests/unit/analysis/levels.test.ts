import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import { analysisKernels, type AnalysisKernels } from "../../../src/cells/analysis/analysisKernels.ts";
import { featureLevel, topActivatingRows } from "../../../src/cells/analysis/featureLevel.ts";
import { flipsBetween, layerCorrelation, layersOverEpochs } from "../../../src/cells/analysis/structureLevel.ts";
import { weightGrids } from "../../../src/cells/analysis/weightGrid.ts";
import type { ProbedLayers } from "../../../src/cells/analysis/probeLayers.ts";
import type { Snapshot } from "../../../src/cells/training/types.ts";
import { createGaussian } from "../../../src/cells/analysis/gaussian.ts";
import { createRandom } from "../../../src/cells/random.ts";
import { CACHE_FORMAT_VERSION, computeKey } from "../../../src/runtime/cache/index.ts";
import { contentKey } from "../../../src/cells/contentKey.ts";

let kernels: AnalysisKernels;
beforeAll(async () => {
  await tf.setBackend("cpu");
  kernels = analysisKernels({ name: "cpu" });
});

const rows = 80;
const columns = 5;
const domainIndex = Uint8Array.from({ length: rows }, (_, i) => (i < rows / 2 ? 0 : 1));

/** Gaussian activations where neuron 3 is shifted by 4 on target rows, so it separates the domains. */
function activations(seed: number): Float32Array {
  const gaussian = createGaussian(createRandom(seed));
  const data = Float32Array.from({ length: rows * columns }, () => gaussian());
  for (let i = rows / 2; i < rows; i++) data[i * columns + 3]! += 4;
  return data;
}

function snapshot(epoch: number, predictions: number[], kernel: number[]): Snapshot {
  const six = { sourceModel: { sourceTrain: 0, sourceVal: 0, target: 0 }, targetModel: { targetTrain: 0, targetVal: 0, source: 0 } };
  return {
    epoch,
    elapsedMs: 0,
    trainLoss: null,
    accuracy: six,
    loss: six,
    perClass: { target: new Float32Array(0), source: new Float32Array(0) },
    confusion: { target: new Uint32Array(0), source: new Uint32Array(0) },
    probe: { predictions: Uint8Array.from(predictions), activations: new Float32Array(0), dimension: 1 },
    weights: [{ name: "dense1/kernel", shape: [kernel.length], values: Float32Array.from(kernel) }],
  };
}

describe("level analyses on the reference kernels", () => {
  test("kernels state the CPU fallback", () => {
    expect(kernels.kind).toBe("reference");
    expect(kernels.notice).toMatch(/backend is cpu, not WebGPU/);
  });

  test("kernels key the cache by their kind", async () => {
    const parts = (inputs: Record<string, unknown>) => ({ source: "projectRun(run, { kernels })", inputs, libraryVersion: "1", formatVersion: CACHE_FORMAT_VERSION, backend: "cpu" });
    const reference = await computeKey(parts({ kernels }));
    const sameKind = await computeKey(parts({ kernels: { [contentKey]: () => ({ kind: "reference" }) } }));
    const webgpu = await computeKey(parts({ kernels: { [contentKey]: () => ({ kind: "webgpu" }) } }));
    expect(reference.key).toBe(sameKind.key);
    expect(reference.key).not.toBe(webgpu.key);
  });

  test("feature level ranks the shifted neuron first", async () => {
    const feature = await featureLevel(kernels, "dense1", { data: activations(1), columns }, domainIndex, { top: 3, bins: 8 });
    expect(feature.top[0]).toBe(3);
    for (const histogram of feature.histograms) {
      expect(histogram.source.reduce((a, b) => a + b, 0)).toBe(rows / 2);
      expect(histogram.target.reduce((a, b) => a + b, 0)).toBe(rows / 2);
    }
  });

  test("biplot axes are orthonormal", async () => {
    const feature = await featureLevel(kernels, "dense1", { data: activations(2), columns }, domainIndex, { top: 4 });
    const dot = feature.loadings.reduce((sum, l) => sum + l.x * l.y, 0);
    const xNorm = Math.hypot(...feature.loadings.map((l) => l.x));
    const yNorm = Math.hypot(...feature.loadings.map((l) => l.y));
    expect(Math.abs(dot)).toBeLessThan(1e-6);
    expect(xNorm).toBeCloseTo(1, 6);
    expect(yNorm).toBeCloseTo(1, 6);
    expect(feature.biplot.every(Number.isFinite)).toBe(true);
  });

  test("top activating rows are target rows for the shifted neuron", () => {
    const top = topActivatingRows({ data: activations(3), columns }, 3, 10);
    expect(top).toHaveLength(10);
    for (const row of top) expect(domainIndex[row]).toBe(1);
  });

  test("layer correlated with itself matches every neuron", async () => {
    const data = activations(4);
    const correlation = await layerCorrelation(kernels, "dense1", rows, { data, columns }, { data, columns }, 3);
    expect(correlation.important).toHaveLength(3);
    for (let j = 0; j < columns; j++) expect(correlation.correlations[j * columns + j]).toBeCloseTo(1, 5);
    for (const match of correlation.matches) {
      expect(match.matched).toBe(true);
      expect(match.closest[0]!.source).toBe(match.target);
    }
  });

  test("unchanged weights make a layer frozen", async () => {
    const data = activations(5);
    const matrix = new Map([["dense1", { data, columns }]]);
    const probed: ProbedLayers = { rows, layers: ["dense1"], source: matrix, epochs: [{ epoch: 0, target: matrix }, { epoch: 1, target: matrix }] };
    const snapshots = [snapshot(0, [], [1, 2]), snapshot(1, [], [1, 2])];
    const { rows: history, fates } = await layersOverEpochs(kernels, probed, snapshots, domainIndex);
    expect(history).toHaveLength(2);
    expect(history[1]!.cka).toBeCloseTo(1, 6);
    expect(history[1]!.proxyADistance).toBeGreaterThan(1);
    expect(fates).toEqual([{ layer: "dense1", fate: "frozen", weightChange: 0, cka: history[1]!.cka }]);
  });

  test("moved weights make a layer rewritten", async () => {
    const matrix = new Map([["dense1", { data: activations(6), columns }]]);
    const probed: ProbedLayers = { rows, layers: ["dense1"], source: matrix, epochs: [{ epoch: 0, target: matrix }, { epoch: 1, target: matrix }] };
    const { fates } = await layersOverEpochs(kernels, probed, [snapshot(0, [], [1, 0]), snapshot(1, [], [1, 1])], domainIndex);
    expect(fates[0]!.fate).toBe("rewritten");
    expect(fates[0]!.weightChange).toBeCloseTo(1, 6);
  });

  test("flips list both directions", () => {
    const labels = Uint8Array.from([0, 1, 2, 3]);
    const flips = flipsBetween(snapshot(0, [0, 0, 2, 0], [1]), snapshot(1, [1, 1, 2, 3], [1]), labels);
    expect(flips.correctToWrong).toEqual([0]);
    expect(flips.wrongToCorrect).toEqual([1, 3]);
  });
});

describe("weight grids", () => {
  const weights = [
    { name: "conv1/kernel", shape: [1, 1, 1, 2], values: Float32Array.from([1, 2]) },
    { name: "conv1/bias", shape: [2], values: Float32Array.from([0, 0]) },
    // Flattened 2 positions × 2 channels into 3 units: inputs 0 and 2 are channel 0, 1 and 3 channel 1.
    { name: "dense1/kernel", shape: [4, 3], values: Float32Array.from([1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 5]) },
  ];

  test("sums a channel over flattened positions", () => {
    const [grid] = weightGrids(weights, new Map());
    expect(grid!.from).toBe("conv1");
    expect(grid!.to).toBe("dense1");
    expect(Array.from(grid!.all)).toEqual([2, 0, 0, 0, 1, 5]);
  });

  test("keeps only the important neurons", () => {
    const [grid] = weightGrids(weights, new Map([["conv1", [1]], ["dense1", [1, 2]]]));
    expect(grid!.rows).toEqual([1]);
    expect(grid!.columns).toEqual([1, 2]);
    expect(Array.from(grid!.values)).toEqual([1, 5]);
  });
});

describe("feature level on one class", () => {
  test("biplot rows follow the chosen rows", async () => {
    const chosen = Array.from({ length: rows }, (_, i) => i).filter((i) => i % 4 === 0);
    const feature = await featureLevel(kernels, "dense1", { data: activations(7), columns }, domainIndex, { top: 3, rows: chosen });
    expect(feature.rows).toEqual(chosen);
    expect(feature.biplot.length).toBe(2 * chosen.length);
    expect(feature.top[0]).toBe(3);
  });
});
