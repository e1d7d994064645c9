import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { domainFromArrays } from "../../../src/cells/data/arrays.ts";
import type { Domain } from "../../../src/cells/data/types.ts";
import { FineTuning } from "../../../src/cells/training/fineTune.ts";
import { makeProbeSet } from "../../../src/cells/training/probe.ts";
import type { FineTuneParams } from "../../../src/cells/training/types.ts";

let model: tf.Sequential;

beforeAll(async () => {
  await tf.setBackend("cpu");
  model = tf.sequential({
    name: "small",
    layers: [
      tf.layers.flatten({ inputShape: [2, 2, 1], name: "flatten" }),
      tf.layers.dense({ units: 4, activation: "relu", name: "hidden" }),
      tf.layers.dense({ units: 2, activation: "softmax", name: "out" }),
    ],
  });
});

afterAll(() => model.dispose());

const pair = (shape: [number, number, number]) =>
  domainFromArrays({ name: `pair ${shape.join("x")}`, images: new Uint8Array(2 * shape[0] * shape[1] * shape[2]), shape, labels: [0, 1], classNames: ["a", "b"] });

function start(domain: Domain, params: Partial<FineTuneParams>): FineTuning {
  return new FineTuning({
    sourceModel: model,
    data: { sourceTrain: domain, sourceVal: domain, targetTrain: domain, targetVal: domain, probe: makeProbeSet(domain, domain) },
    params: { epochs: 1, learningRate: 0.01, batchSize: 2, frozenLayers: [], seed: 1, probeLayer: "hidden", ...params },
    backend: "cpu",
  });
}

describe("FineTuning checks", () => {
  test("accepts matching input", () => {
    expect(() => start(pair([2, 2, 1]), {})).not.toThrow();
  });

  test("rejects an empty probeLayer", () => {
    expect(() => start(pair([2, 2, 1]), { probeLayer: "" })).toThrow("missing probeLayer (expected one of hidden, the layers worth probing)");
  });

  test("accepts any named layer", () => {
    expect(() => start(pair([2, 2, 1]), { probeLayer: "flatten" })).not.toThrow();
  });

  test("rejects an unknown layer", () => {
    expect(() => start(pair([2, 2, 1]), { probeLayer: "nope" })).toThrow('layer not found: "nope" in probeLayer (model layers: flatten, hidden, out; worth probing: hidden)');
  });

  test("rejects a shape mismatch", () => {
    expect(() => start(pair([3, 3, 1]), {})).toThrow('invalid input shape: pair 3x3x1 has images of [3, 3, 1] but model "small" takes [2, 2, 1]');
  });
});
