import * as tf from "@tensorflow/tfjs";

/**
 * Builds a [count, height, width, channels] float tensor in 0..1 from uint8 images, taking the
 * given indices. The shape defaults to the digit domains' 28 × 28 × 1.
 */
export function imagesToTensor(images: Uint8Array, indices: ArrayLike<number>, shape: readonly [number, number, number] = [28, 28, 1]): tf.Tensor4D {
  const pixels = shape[0] * shape[1] * shape[2];
  const values = new Float32Array(indices.length * pixels);
  for (let row = 0; row < indices.length; row++) {
    const offset = indices[row]! * pixels;
    for (let p = 0; p < pixels; p++) values[row * pixels + p] = images[offset + p]! / 255;
  }
  return tf.tensor4d(values, [indices.length, ...shape]);
}

/** Builds a [count, classCount] one-hot tensor from the labels at the given indices. */
export function labelsToOneHot(labels: Uint8Array, indices: ArrayLike<number>, classCount: number): tf.Tensor2D {
  const values = new Float32Array(indices.length * classCount);
  for (let row = 0; row < indices.length; row++) values[row * classCount + labels[indices[row]!]!] = 1;
  return tf.tensor2d(values, [indices.length, classCount]);
}

/** Returns [start, start + 1, …, end - 1]. */
export function range(start: number, end: number): Int32Array {
  const result = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < result.length; i++) result[i] = start + i;
  return result;
}
