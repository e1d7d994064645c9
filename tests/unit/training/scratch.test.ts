import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import { reinitialiseWeights } from "../../../src/cells/training/scratch.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function smallModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, name: "conv1" }));
  model.add(tf.layers.batchNormalization({ name: "norm1" }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3, name: "output" }));
  return model;
}

async function values(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (weight) => (await weight.data()) as Float32Array));
}

describe("reinitialiseWeights", () => {
  test("same seed gives the same weights", async () => {
    const a = smallModel();
    const b = smallModel();
    reinitialiseWeights(a, 7);
    reinitialiseWeights(b, 7);
    expect(await values(a)).toEqual(await values(b));
    a.dispose();
    b.dispose();
  });

  test("kernels stay within the Glorot limit", async () => {
    const model = smallModel();
    reinitialiseWeights(model, 1);
    const all = await values(model);
    const named = (name: string) => all[model.weights.findIndex((weight) => weight.originalName === name)]!;
    const [kernel, bias, gamma, beta, movingMean, movingVariance] = ["conv1/kernel", "conv1/bias", "norm1/gamma", "norm1/beta", "norm1/moving_mean", "norm1/moving_variance"].map(named);
    const limit = Math.sqrt(6 / (9 + 36));
    expect(Math.max(...kernel!.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(new Set(kernel).size).toBeGreaterThan(30);
    expect([...bias!]).toEqual([0, 0, 0, 0]);
    expect([...gamma!]).toEqual([1, 1, 1, 1]);
    expect([...beta!, ...movingMean!]).toEqual(new Array(8).fill(0));
    expect([...movingVariance!]).toEqual([1, 1, 1, 1]);
    model.dispose();
  });

  test("different seeds differ", async () => {
    const a = smallModel();
    const b = smallModel();
    reinitialiseWeights(a, 1);
    reinitialiseWeights(b, 2);
    expect((await values(a))[0]).not.toEqual((await values(b))[0]);
    a.dispose();
    b.dispose();
  });

  test("no tensors leak", () => {
    const model = smallModel();
    const before = tf.memory().numTensors;
    reinitialiseWeights(model, 3);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
