import * as tf from "@tensorflow/tfjs";
import { createRandom } from "../random.ts";

/**
 * Replaces every weight of `model` with a fresh, seeded initialisation, so the same
 * architecture can be trained from scratch as a baseline. Kernels are Glorot-uniform with
 * limit √(6 / (fan_in + fan_out)), the Keras default. Biases, batch-norm beta and moving means
 * are 0, and batch-norm gamma and moving variances are 1.
 * NOTE: layers whose Keras default is another initialiser (such as orthogonal recurrent
 * kernels) get Glorot-uniform too.
 */
export function reinitialiseWeights(model: tf.LayersModel, seed: number): void {
  const random = createRandom(`scratch/${seed}`);
  // model.weights lists trainable weights first, the order setWeights expects.
  const tensors = model.weights.map((variable) => {
    const shape = variable.shape as number[];
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    const name = variable.originalName.slice(variable.originalName.lastIndexOf("/") + 1);
    const values = new Float32Array(size);
    if (name === "kernel" || name.endsWith("_kernel")) {
      const receptive = shape.slice(0, -2).reduce((product, dimension) => product * dimension, 1);
      const fanIn = (shape.at(-2) ?? 1) * receptive;
      const fanOut = (shape.at(-1) ?? 1) * receptive;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (2 * random() - 1) * limit;
    } else if (name === "gamma" || name === "moving_variance") {
      values.fill(1);
    }
    return tf.tensor(values, shape);
  });
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}
