import * as tf from "@tensorflow/tfjs";
import type { BackendName } from "../../gpu/backend.ts";
import { imageShapeOf, type Domain } from "../data/types.ts";
import { contentKey } from "../contentKey.ts";
import { InputError } from "../errors.ts";
import { shuffledIndices } from "../random.ts";
import { evaluate } from "./evaluate.ts";
import { confusionMatrix, perClassAccuracy } from "./metrics.ts";
import { DeviceWatch, reacquireWebGpu } from "../../gpu/deviceWatch.ts";
import { checkInputShape, checkProbeLayer } from "../models/layers.ts";
import { DeviceLostError, disposeQuietly, isOutOfMemory, outOfMemoryAdvice, unclippedCrossEntropy, watched } from "./faults.ts";
import { checkLabels, freezeLayers, modelFromArtifacts, reuploadWeights, saveArtifacts } from "./model.ts";
import type { ProbeSet } from "./probe.ts";
import { imagesToTensor, labelsToOneHot } from "./tensors.ts";
import type { FineTuneParams, LayerWeight, Progress, RunState, SixSeries, Snapshot } from "./types.ts";
import { resumeRun, type Resumable } from "./resumable.ts";
import { reinitialiseWeights } from "./scratch.ts";

export interface FineTuneData {
  sourceTrain: Domain;
  sourceVal: Domain;
  targetTrain: Domain;
  targetVal: Domain;
  probe: ProbeSet;
}

export interface FineTuneOptions {
  sourceModel: tf.LayersModel;
  data: FineTuneData;
  params: FineTuneParams;
  backend: BackendName;
  /**
   * "source" (default) starts from the source model's weights. "scratch" starts from the same
   * architecture with fresh weights seeded by `params.seed`: the from-scratch baseline that
   * shows whether transfer helped.
   */
  start?: "source" | "scratch";
}

/**
 * One fine-tuning run from a source model. `run()` yields a RunState after each epoch's
 * snapshot (epoch 0 first, before any update). `progress` fires a "progress" event after
 * every batch and an "end" event with the final status when the run stops. The
 * source model is borrowed and never changed; the target model is a copy this run owns.
 */
export class FineTuning {
  readonly progress = new EventTarget();
  latestProgress: Progress | undefined;
  private cancelled = false;
  private disposed = false;
  private started = false;

  constructor(private readonly options: FineTuneOptions) {
    const { data, params, sourceModel } = options;
    const classCount = sourceModel.outputs[0]!.shape[1]!;
    for (const domain of [data.sourceTrain, data.sourceVal, data.targetTrain, data.targetVal, data.probe]) {
      checkInputShape(sourceModel, domain);
      checkLabels(domain.labels, classCount, domain.name);
    }
    checkProbeLayer(sourceModel, params.probeLayer);
    checkParams(params);
    if (options.start !== undefined && options.start !== "source" && options.start !== "scratch") {
      throw new InputError(`invalid start: ${JSON.stringify(options.start)} (expected "source" or "scratch")`, { field: "start", value: String(options.start) });
    }
  }

  /**
   * Describes the run's content for the notebook cache: everything that changes its result.
   * The source model is hashed by its topology and weights through the cache's model adapter.
   */
  [contentKey](): unknown {
    const { sourceModel, data, params, backend, start } = this.options;
    // A fine-tuning run keeps the key it had before `start` existed, so cached runs stay valid.
    return start === "scratch" ? { sourceModel, data, params, backend, start } : { sourceModel, data, params, backend };
  }

  /** Stops the run after the current batch; the snapshots recorded so far stay. */
  cancel(): void {
    this.cancelled = true;
  }

  /** Cancels the run; the target model and optimizer are freed when the loop stops. Safe to call twice. */
  dispose(): void {
    this.cancelled = true;
    this.disposed = true;
  }

  /**
   * Returns the run as a generator of states. The generator can also be resumed: a caller
   * holding the states an earlier, interrupted run yielded passes them to the function under
   * `resumeRun`, which continues after their last snapshot instead of starting over.
   */
  run(): AsyncGenerator<RunState, void, undefined> & Resumable<RunState> {
    return Object.assign(this.iterate(undefined), { [resumeRun]: (recorded: readonly RunState[]) => this.iterate(recorded.at(-1)) });
  }

  private async *iterate(resumeFrom: RunState | undefined): AsyncGenerator<RunState, void, undefined> {
    if (this.started) throw new Error("fine-tuning already started: create a new FineTuning to run again");
    if (this.disposed) throw new Error("fine-tuning used after dispose");
    this.started = true;
    const { sourceModel, data, params, backend } = this.options;
    const classCount = sourceModel.outputs[0]!.shape[1]!;
    const startTime = performance.now() - (resumeFrom?.snapshots.at(-1)?.elapsedMs ?? 0);
    const snapshots: Snapshot[] = resumeFrom ? [...resumeFrom.snapshots] : [];
    const resumedFrom = resumeFrom && snapshots.length > 0 ? snapshots.at(-1)!.epoch : undefined;
    const notices: string[] = [];
    const state = (status: RunState["status"], error?: Error): RunState => {
      if (status !== "running") this.progress.dispatchEvent(new CustomEvent("end", { detail: { status, elapsedMs: performance.now() - startTime } }));
      const result: RunState = { status, backend, params, snapshots: [...snapshots], error, resumedFrom };
      if (notices.length > 0) result.notices = [...notices];
      return result;
    };

    // A copy of the source model in CPU memory, so a lost GPU device can be replaced without
    // reading anything back from it.
    const artifacts = await saveArtifacts(sourceModel);
    let sourceSeries = resumedFrom === undefined ? undefined : sourceSeriesOf(snapshots[0]!);
    let where = "the epoch 0 snapshot";
    for (let recoveries = 0; ; recoveries++) {
      const watch = new DeviceWatch();
      const targetModel = await modelFromArtifacts(artifacts);
      const optimizer = tf.train.adam(params.learningRate);
      try {
        freezeLayers(targetModel, params.frozenLayers);
        targetModel.compile({ optimizer, loss: "categoricalCrossentropy", metrics: [unclippedCrossEntropy] });
        if (this.options.start === "scratch") reinitialiseWeights(targetModel, params.seed);
        if (snapshots.length > 0) restoreWeights(targetModel, snapshots.at(-1)!.weights);

        // The source model never changes, so its three series are measured once and repeated.
        sourceSeries ??= await watched(watch, this.evaluateSourceModel());

        // Time left = batches left × mean batch time + snapshots left × the last snapshot's time.
        let batchMsTotal = 0;
        let snapshotMs = 0;
        const record = async (epoch: number, trainLoss: number | null) => {
          where = `the epoch ${epoch} snapshot`;
          const snapshotStart = performance.now();
          const snapshot = await watched(watch, this.snapshot(targetModel, sourceSeries!, classCount, epoch, trainLoss, startTime));
          snapshots.push(snapshot);
          snapshotMs = performance.now() - snapshotStart;
        };
        if (snapshots.length === 0) {
          await record(0, null);
          yield state("running");
        }

        const batches = Math.ceil(data.targetTrain.count / params.batchSize);
        const totalBatches = batches * params.epochs;
        const firstEpoch = snapshots.at(-1)!.epoch + 1;
        // NOTE: a resumed run restarts Adam's moment estimates, so its later epochs can differ slightly from an uninterrupted run's.
        for (let epoch = firstEpoch; epoch <= params.epochs; epoch++) {
          const order = shuffledIndices(data.targetTrain.count, params.seed * 1000 + epoch);
          let lossSum = 0;
          for (let batch = 0; batch < batches; batch++) {
            if (this.cancelled) {
              yield state("cancelled");
              return;
            }
            where = `epoch ${epoch}, batch ${batch + 1}`;
            const indices = order.slice(batch * params.batchSize, (batch + 1) * params.batchSize);
            const batchStart = performance.now();
            const { loss, unclipped } = await watched(watch, this.trainBatch(targetModel, indices, classCount));
            batchMsTotal += performance.now() - batchStart;
            if (!Number.isFinite(loss) || !Number.isFinite(unclipped)) {
              const bad = Number.isFinite(loss) ? unclipped : loss;
              const why = Number.isFinite(loss)
                ? ` (the true class's probability fell to 0 for some image; the clipped loss the optimizer sees was ${loss.toFixed(2)}), so the weights are diverging`
                : "";
              const error = new InputError(
                `training stopped: loss became ${bad} at epoch ${epoch}, batch ${batch + 1}${why} with learningRate ${params.learningRate}. ` +
                  `The ${snapshots.length} snapshots before this epoch are kept. Lower the learning rate (try ${params.learningRate / 10}) and run again.`,
                { field: "learningRate", value: String(params.learningRate) },
              );
              yield state("failed", error);
              return;
            }
            lossSum += loss;
            const elapsedMs = performance.now() - startTime;
            const done = (epoch - firstEpoch) * batches + batch + 1;
            this.latestProgress = {
              epoch,
              epochs: params.epochs,
              batch: batch + 1,
              batches,
              loss,
              elapsedMs,
              remainingMs: (batchMsTotal / done) * (totalBatches - (firstEpoch - 1) * batches - done) + snapshotMs * (params.epochs - epoch + 1),
            };
            this.progress.dispatchEvent(new CustomEvent("progress", { detail: this.latestProgress }));
          }
          await record(epoch, lossSum / batches);
          yield state(epoch === params.epochs ? "done" : "running");
        }
        return;
      } catch (error) {
        const lost = error instanceof DeviceLostError;
        if (lost && recoveries < maxDeviceRecoveries) {
          const resumeAfter = snapshots.at(-1)?.epoch;
          await reacquireWebGpu();
          reuploadWeights(sourceModel, artifacts);
          notices.push(
            `${error.message} at ${where}. A new device was acquired and the run resumed ` +
              (resumeAfter === undefined ? "from the start." : `from the epoch ${resumeAfter} snapshot.`),
          );
          console.warn(`carryover: ${notices.at(-1)}`);
          continue;
        }
        // NOTE: when a training step throws, tfjs-layers 4.22 keeps a few of its intermediate tensors (6 for a small dense model); they cannot be reached to free them.
        if (lost || isOutOfMemory(error) || watch.outOfMemory) {
          const cause = lost ? error : (watch.outOfMemory ?? error);
          const failure = lost
            ? new Error(`${error.message} at ${where}, after ${recoveries} recoveries in this run. The snapshots recorded so far are kept; reload the page and run again.`, { cause })
            : outOfMemoryAdvice(cause, { where, batchSize: params.batchSize, probeCount: data.probe.count, backend });
          yield state("failed", failure);
          return;
        }
        throw error;
      } finally {
        watch.stop();
        disposeQuietly(targetModel, optimizer);
      }
    }
  }

  private async trainBatch(model: tf.LayersModel, indices: readonly number[], classCount: number): Promise<{ loss: number; unclipped: number }> {
    trainingSteps += 1;
    const { targetTrain } = this.options.data;
    const input = imagesToTensor(targetTrain.images, indices, imageShapeOf(targetTrain));
    const target = labelsToOneHot(targetTrain.labels, indices, classCount);
    try {
      const [loss, unclipped] = (await model.trainOnBatch(input, target)) as number[];
      return { loss: loss!, unclipped: unclipped! };
    } finally {
      input.dispose();
      target.dispose();
    }
  }

  private async evaluateSourceModel(): Promise<SourceSeries> {
    const { sourceModel, data } = this.options;
    const sourceTrain = await evaluate(sourceModel, data.sourceTrain);
    const sourceVal = await evaluate(sourceModel, data.sourceVal);
    const target = await evaluate(sourceModel, data.targetVal);
    return {
      accuracy: { sourceTrain: sourceTrain.accuracy, sourceVal: sourceVal.accuracy, target: target.accuracy },
      loss: { sourceTrain: sourceTrain.loss, sourceVal: sourceVal.loss, target: target.loss },
    };
  }

  private async snapshot(
    targetModel: tf.LayersModel,
    source: SourceSeries,
    classCount: number,
    epoch: number,
    trainLoss: number | null,
    startTime: number,
  ): Promise<Snapshot> {
    const { data, params } = this.options;
    const onTargetTrain = await evaluate(targetModel, data.targetTrain);
    const onTargetVal = await evaluate(targetModel, data.targetVal);
    const onSource = await evaluate(targetModel, data.sourceVal);
    const onProbe = await evaluate(targetModel, data.probe, { probeLayer: params.probeLayer });
    const targetConfusion = confusionMatrix(onTargetVal.predictions, data.targetVal.labels, classCount);
    const sourceConfusion = confusionMatrix(onSource.predictions, data.sourceVal.labels, classCount);
    const series = (key: "accuracy" | "loss") => ({
      sourceModel: source[key],
      targetModel: { targetTrain: onTargetTrain[key], targetVal: onTargetVal[key], source: onSource[key] },
    });
    return {
      epoch,
      elapsedMs: performance.now() - startTime,
      trainLoss,
      accuracy: series("accuracy"),
      loss: series("loss"),
      perClass: { target: perClassAccuracy(targetConfusion, classCount), source: perClassAccuracy(sourceConfusion, classCount) },
      confusion: { target: targetConfusion, source: sourceConfusion },
      probe: { predictions: onProbe.predictions, activations: onProbe.activations!, dimension: onProbe.dimension! },
      weights: await readWeights(targetModel),
    };
  }
}

/** Device losses one run recovers from before it gives up; a device lost again and again points to a broken driver. */
const maxDeviceRecoveries = 3;

let trainingSteps = 0;

/** Returns how many training batches every FineTuning in this page has run; tests prove a cache hit with it. */
export function trainingStepCount(): number {
  return trainingSteps;
}

/** The source model's three series, which stay the same every epoch. */
interface SourceSeries {
  accuracy: SixSeries["sourceModel"];
  loss: SixSeries["sourceModel"];
}

function sourceSeriesOf(snapshot: Snapshot): SourceSeries {
  return { accuracy: snapshot.accuracy.sourceModel, loss: snapshot.loss.sourceModel };
}

/** Reads every weight of a model into CPU memory, layer by layer, in the order snapshots record them. */
export async function readWeights(model: tf.LayersModel): Promise<LayerWeight[]> {
  const weights: LayerWeight[] = [];
  for (const layer of model.layers) {
    for (const weight of layer.weights) {
      weights.push({ name: weight.originalName, shape: weight.shape as number[], values: (await weight.read().data()) as Float32Array });
    }
  }
  return weights;
}

/** Sets the model's weights from a snapshot, checking that names and shapes match. */
export function restoreWeights(model: tf.LayersModel, weights: readonly LayerWeight[]): void {
  const variables = model.layers.flatMap((layer) => layer.weights);
  if (variables.length !== weights.length) {
    throw new Error(`invalid snapshot weights: ${weights.length} arrays (expected ${variables.length}, one per model weight)`);
  }
  const tensors = weights.map((weight, i) => {
    const variable = variables[i]!;
    if (weight.name !== variable.originalName || weight.shape.join() !== variable.shape.join()) {
      throw new Error(`invalid snapshot weight: ${weight.name} [${weight.shape.join(", ")}] (expected ${variable.originalName} [${variable.shape.join(", ")}])`);
    }
    return tf.tensor(weight.values, weight.shape);
  });
  try {
    // Written variable by variable: model.setWeights expects trainable weights first, which
    // differs from this per-layer order in models with batch normalisation.
    tensors.forEach((tensor, i) => variables[i]!.write(tensor));
  } finally {
    tf.dispose(tensors);
  }
}

function checkParams(params: FineTuneParams): void {
  const positiveIntegers = ["epochs", "batchSize"] as const;
  for (const field of positiveIntegers) {
    const value = params[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(`invalid ${field}: ${value} (expected a whole number of at least 1)`, { field, value: String(value) });
    }
  }
  if (!(params.learningRate > 0)) {
    throw new InputError(`invalid learningRate: ${params.learningRate} (expected a number above 0, such as 0.001)`, {
      field: "learningRate",
      value: String(params.learningRate),
    });
  }
}
