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
