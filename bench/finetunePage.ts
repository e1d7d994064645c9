import * as tf from "@tensorflow/tfjs";
import { selectBackend, type BackendName } from "../src/gpu/backend.ts";
import { loadMnist, loadUciDigits } from "../src/cells/data/load.ts";
import { sampleDomain, splitTarget } from "../src/cells/data/splits.ts";
import type { Domain } from "../src/cells/data/types.ts";
import { FineTuning } from "../src/cells/training/fineTune.ts";
import { evaluate } from "../src/cells/training/evaluate.ts";
import { loadSourceModel } from "../src/cells/training/model.ts";
import { makeProbeSet } from "../src/cells/training/probe.ts";
import type { FineTuneParams, RunState } from "../src/cells/training/types.ts";
import { imagesToTensor, labelsToOneHot } from "../src/cells/training/tensors.ts";

export interface BenchRequest {
  backend: BackendName;
  epochs: number;
  budgetPerClass: number;
  batchSize: number;
  /** "snapshots": Carryover's FineTuning with a snapshot per epoch; "fit": plain model.fit, no snapshots. */
  mode: "snapshots" | "fit";
  sourceSamples: number;
  probePerDomain: number;
  frozenLayers?: string[];
  learningRate?: number;
}

export interface BenchResult {
  backend: BackendName;
  mode: string;
  epochs: number;
  /** Wall time of the epochs, excluding data loading and the epoch-0 snapshot, in ms. */
  trainingMs: number;
  msPerEpoch: number;
  /** Target validation accuracy per epoch (snapshots mode only). */
  targetVal: number[];
  tensorsBefore: number;
  tensorsAfter: number;
}

let data: { mnistTrain: Domain; mnistTest: Domain; uci: Domain } | undefined;

async function run(request: BenchRequest): Promise<BenchResult> {
  const choice = await selectBackend([request.backend]);
  data ??= { mnistTrain: await loadMnist("train", mnistUrls("train")), mnistTest: await loadMnist("test", mnistUrls("t10k")), uci: await loadUciDigits("/data/uci-digits/digits.csv.gz") };
  const seed = 1;
  const target = splitTarget(data.uci, { budgetPerClass: request.budgetPerClass, seed });
  const sourceTrain = sampleDomain(data.mnistTrain, request.sourceSamples, seed, "MNIST train");
  const sourceVal = sampleDomain(data.mnistTest, request.sourceSamples, seed, "MNIST test");
  const probe = makeProbeSet(
    sampleDomain(sourceVal, request.probePerDomain, seed, "MNIST"),
    sampleDomain(target.test, request.probePerDomain, seed, "UCI digits"),
  );
  const tensorsBefore = tf.memory().numTensors;
  const sourceModel = await loadSourceModel("/models/mnist-cnn/model.json", { classCount: 10, backend: choice });
  const params: FineTuneParams = {
    epochs: request.epochs,
    learningRate: request.learningRate ?? 0.001,
    batchSize: request.batchSize,
    frozenLayers: request.frozenLayers ?? [],
    seed,
    probeLayer: "dense1",
  };
  try {
    if (request.mode === "fit") {
      const model = sourceModel;
      for (const layer of model.layers) layer.trainable = !params.frozenLayers.includes(layer.name);
      const optimizer = tf.train.adam(params.learningRate);
      model.compile({ optimizer, loss: "categoricalCrossentropy" });
      const indices = Array.from({ length: target.train.count }, (_, i) => i);
      const x = imagesToTensor(target.train.images, indices);
      const y = labelsToOneHot(target.train.labels, indices, 10);
      const start = performance.now();
      await model.fit(x, y, { epochs: params.epochs, batchSize: params.batchSize, shuffle: true, verbose: 0 });
      const trainingMs = performance.now() - start;
      tf.dispose([x, y]);
      optimizer.dispose();
      return { backend: choice.name, mode: "fit", epochs: params.epochs, trainingMs, msPerEpoch: trainingMs / params.epochs, targetVal: [], tensorsBefore, tensorsAfter: 0 };
    }
    const training = new FineTuning({
      sourceModel,
      data: { sourceTrain, sourceVal, targetTrain: target.train, targetVal: target.validation, probe },
      params,
      backend: choice.name,
    });
    let epochZeroEnd = 0;
    let last: RunState | undefined;
    for await (const state of training.run()) {
      if (state.snapshots.length === 1) epochZeroEnd = performance.now();
      last = state;
    }
    const trainingMs = performance.now() - epochZeroEnd;
    const snapshots = last ? last.snapshots : [];
    return {
      backend: choice.name,
      mode: "snapshots",
      epochs: params.epochs,
      trainingMs,
      msPerEpoch: trainingMs / params.epochs,
      targetVal: snapshots.map((s) => s.accuracy.targetModel.targetVal),
      tensorsBefore,
      tensorsAfter: 0,
    };
  } finally {
    sourceModel.dispose();
  }
}

declare global {
  interface Window {
    benchFineTune?: (request: BenchRequest) => Promise<BenchResult>;
  }
}

window.benchFineTune = async (request) => {
  const result = await run(request);
  result.tensorsAfter = tf.memory().numTensors;
  return result;
};

function mnistUrls(prefix: string) {
  return { images: `/data/mnist/${prefix}-images-idx3-ubyte`, labels: `/data/mnist/${prefix}-labels-idx1-ubyte` };
}

declare global {
  interface Window {
    benchEvaluate?: (backend: BackendName, count: number, batchSize: number, flags?: Record<string, unknown>) => Promise<number[]>;
  }
}
window.benchEvaluate = async (backend, count, batchSize, flags = {}) => {
  const choice = await selectBackend([backend]);
  for (const [name, value] of Object.entries(flags)) tf.env().set(name, value as number);
  data ??= { mnistTrain: await loadMnist("train", mnistUrls("train")), mnistTest: await loadMnist("test", mnistUrls("t10k")), uci: await loadUciDigits("/data/uci-digits/digits.csv.gz") };
  const model = await loadSourceModel("/models/mnist-cnn/model.json", { classCount: 10, backend: choice });
  const domain = sampleDomain(data.mnistTest, count, 1, "MNIST");
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await evaluate(model, domain, { batchSize });
    times.push(performance.now() - start);
  }
  model.dispose();
  return times;
};
