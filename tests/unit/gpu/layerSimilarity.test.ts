import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { ckaOverEpochs, ckaPerLayer, proxyADistanceOverEpochs } from "../../../src/cells/analysis/layerSimilarity.ts";
import { weightChangeOverEpochs } from "../../../src/cells/analysis/weightChange.ts";
import type { Snapshot } from "../../../src/cells/training/types.ts";
import { gaussianMatrix, kernelContext, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

const rows = 60;
const dimension = 6;

/** Builds a snapshot whose probe activations and weights are given and whose metrics are zeros. */
function snapshot(epoch: number, activations: Float32Array, kernel: number[]): Snapshot {
  const six = { sourceModel: { sourceTrain: 0, sourceVal: 0, target: 0 }, targetModel: { targetTrain: 0, targetVal: 0, source: 0 } };
  return {
    epoch,
    elapsedMs: 0,
    trainLoss: null,
    accuracy: six,
    loss: six,
    perClass: { target: new Float32Array(0), source: new Float32Array(0) },
    confusion: { target: new Uint32Array(0), source: new Uint32Array(0) },
    probe: { predictions: new Uint8Array(rows), activations, dimension },
    weights: [{ name: "dense1/kernel", shape: [kernel.length], values: Float32Array.from(kernel) }],
  };
}

describe("layer similarity over epochs", { timeout: gpuTestTimeout }, () => {
  const start = gaussianMatrix(rows, dimension, 1);
  const scaled = start.map((value) => 3 * value);
  const unrelated = gaussianMatrix(rows, dimension, 2);
  const snapshots = [snapshot(0, start, [1, 0]), snapshot(1, scaled, [1, 1]), snapshot(2, unrelated, [0, 0])];

  test("CKA starts at 1 and falls for new activations", async () => {
    const results = await ckaOverEpochs(context, snapshots);
    expect(results.map((result) => result.epoch)).toEqual([0, 1, 2]);
    expect(results[0]!.cka).toBeCloseTo(1, 5);
    expect(results[1]!.cka).toBeCloseTo(1, 5);
    expect(results[2]!.cka).toBeLessThan(0.3);
  });

  test("CKA per layer names each layer", async () => {
    const results = await ckaPerLayer(context, [
      { layer: "dense1", rows, source: { data: start, columns: dimension }, target: { data: scaled, columns: dimension } },
      { layer: "dense2", rows, source: { data: start, columns: dimension }, target: { data: new Float32Array(rows).fill(2), columns: 1 } },
    ]);
    expect(results[0]!.layer).toBe("dense1");
    expect(results[0]!.cka).toBeCloseTo(1, 5);
    expect(results[1]).toEqual({ layer: "dense2", cka: 0 });
  });

  test("weight change is measured from epoch 0", () => {
    const changes = weightChangeOverEpochs(snapshots);
    expect(changes.map((change) => change.layers[0]!.relative)).toEqual([0, 1, 1]);
    expect(() => weightChangeOverEpochs(snapshots.slice(1))).toThrow("missing epoch-0 snapshot");
  });

  test("proxy A-distance per epoch", () => {
    const domain = Uint8Array.from({ length: rows }, (_, i) => (i < rows / 2 ? 0 : 1));
    const results = proxyADistanceOverEpochs(snapshots, domain, { seed: 0 });
    expect(results.map((result) => result.epoch)).toEqual([0, 1, 2]);
    for (const result of results) expect(result.distance).toBeLessThanOrEqual(2);
  });
});
