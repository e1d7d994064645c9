import * as tf from "@tensorflow/tfjs";
import type { DeviceWatch } from "../../gpu/deviceWatch.ts";
import { InputError } from "../errors.ts";

/** Thrown inside a run when the WebGPU device it trains on was lost; the run recovers from it. */
export class DeviceLostError extends Error {
  constructor(readonly reason: string, detail: string) {
    super(`GPU device lost (reason: ${reason}${detail ? `, ${detail}` : ""})`);
  }
}
DeviceLostError.prototype.name = "DeviceLostError";

/**
 * Messages that TensorFlow.js and the browsers use when memory runs out, by backend:
 * CPU and WASM (a typed array that cannot be allocated), WebGL (a texture too large or not
 * created) and WebGPU (GPUOutOfMemoryError, or a buffer too large for the implementation).
 */
const outOfMemoryPatterns = [
  /out of memory/i,
  /GPUOutOfMemoryError/,
  /array buffer allocation failed/i,
  /invalid typed array length/i,
  /invalid array buffer length/i,
  /invalid array length/i,
  /greater than WebGL maximum/i,
  /unable to create WebGLTexture/i,
  /too large for the implementation/i,
  /\bOOM\b/,
];

/** True when an error says that CPU or GPU memory ran out. */
export function isOutOfMemory(error: unknown): boolean {
  if (typeof GPUOutOfMemoryError !== "undefined" && error instanceof GPUOutOfMemoryError) return true;
  if (!(error instanceof Error)) return false;
  const text = `${error.name}: ${error.message}`;
  return outOfMemoryPatterns.some((pattern) => pattern.test(text));
}

export interface MemoryContext {
  /** Where the run was: "epoch 2, batch 3" or "the epoch 1 snapshot". */
  where: string;
  batchSize: number;
  /** Images in the probe set, whose activations every snapshot records. */
  probeCount: number;
  backend: string;
}

/** Turns an out-of-memory error into advice: which setting to lower, with its current value. */
export function outOfMemoryAdvice(error: unknown, context: MemoryContext): InputError {
  const reason = error instanceof Error ? error.message : String(error);
  const smallerBatch = Math.max(1, Math.floor(context.batchSize / 2));
  const smallerProbe = Math.max(2, Math.floor(context.probeCount / 2));
  return new InputError(
    `out of memory on ${context.backend} at ${context.where} (batchSize ${context.batchSize}, probe set ${context.probeCount} images): ${reason}. ` +
      `Lower batchSize (try ${smallerBatch}) or the probe size (try ${smallerProbe} images, e.g. with makeProbeSet's maxPerDomain), ` +
      "close other tabs that use the GPU, and run again. The snapshots recorded so far are kept.",
    { field: "batchSize", value: String(context.batchSize), cause: error },
  );
}

/**
 * Mean cross-entropy of a batch without the clipping that TensorFlow.js applies to keep the
 * gradient finite: -log(p) of the true class. The clipped loss stays finite (near 15) while
 * a diverging run pushes probabilities to exactly 0, so this is the value checked for
 * divergence. It is computed in the training step's own forward pass, as a metric.
 * NOTE: a confidently wrong but healthy model whose softmax underflows (a logit gap above
 * about 88) also reads as infinite here.
 */
export function unclippedCrossEntropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const probability = tf.sum(tf.mul(yTrue, yPred), -1);
    // WGSL does not define log(0), and on SwiftShader's WebGPU -log(0) came out finite where
    // the CPU backend gives Infinity, so a zero probability is mapped to Infinity explicitly.
    return tf.where(tf.lessEqual(probability, 0), tf.fill(probability.shape, Infinity), tf.neg(tf.log(probability)));
  });
}

/**
 * Awaits work on the GPU, but fails with DeviceLostError as soon as the device is lost: after
 * a loss, readbacks may never settle, so the work itself cannot be relied on to fail.
 */
export async function watched<T>(watch: DeviceWatch, work: Promise<T>): Promise<T> {
  const lost = watch.whenLost.then(() => {
    throw new DeviceLostError(watch.lost!.reason, watch.lost!.message);
  });
  try {
    const result = await Promise.race([work, lost]);
    if (watch.outOfMemory) throw watch.outOfMemory;
    return result;
  } catch (error) {
    // A failure caused by the lost device often arrives before the lost promise settles.
    await Promise.race([watch.whenLost, new Promise((resolve) => setTimeout(resolve, 200))]);
    if (watch.lost) throw new DeviceLostError(watch.lost.reason, watch.lost.message);
    throw error;
  } finally {
    work.catch(() => {});
    lost.catch(() => {});
  }
}

/** Frees a model and optimizer whose tensors may have lived on a device that is gone. */
export function disposeQuietly(model: tf.LayersModel, optimizer: tf.Optimizer): void {
  try {
    model.dispose();
    optimizer.dispose();
  } catch (error) {
    console.warn("carryover: failed to free the target model after a device loss", error);
  }
}
