import * as tf from "@tensorflow/tfjs";
import { imageShapeOf, type Domain } from "../data/types.ts";
import { InputError } from "../errors.ts";
import { imagesToTensor, range } from "./tensors.ts";

export interface Evaluation {
  predictions: Uint8Array;
  /** Fraction of images whose most probable class is the label. */
  accuracy: number;
  /** Mean categorical cross-entropy, in nats. */
  loss: number;
  /** Activations of the probe layer, count × dimension, when one was requested. */
  activations?: Float32Array;
  dimension?: number;
}

/** Probabilities below this are clipped before the logarithm, so a confident miss costs a finite loss. */
const minProbability = 1e-7;

/**
 * Runs the model over a domain in batches and scores it. With `probeLayer`, also records
 * that layer's activations; convolutional activations are averaged over height and width,
 * so each channel gives one number per image.
 */
export async function evaluate(
  model: tf.LayersModel,
  domain: Domain,
  options: { batchSize?: number; probeLayer?: string } = {},
): Promise<Evaluation> {
  const batchSize = options.batchSize ?? 100;
  const probe = options.probeLayer === undefined ? undefined : probeModel(model, options.probeLayer);
  const predictions = new Uint8Array(domain.count);
  let activations: Float32Array | undefined;
  let dimension = 0;
  let lossSum = 0;
  let correct = 0;

  for (let start = 0; start < domain.count; start += batchSize) {
    const indices = range(start, Math.min(domain.count, start + batchSize));
    // Every batch has the same shape, the last one padded with copies of its first image:
    // backends compile a GPU program per input shape, and that costs seconds on a software GPU.
    const input = imagesToTensor(domain.images, padIndices(indices, batchSize), imageShapeOf(domain));
    const outputs = probe ? (probe.predict(input) as tf.Tensor[]) : [model.predict(input) as tf.Tensor];
    const probabilities = outputs[outputs.length - 1]!;
    const pooled = probe ? poolChannels(outputs[0]!) : undefined;
    try {
      const values = (await probabilities.data()) as Float32Array;
      const classCount = probabilities.shape[1]!;
      for (let row = 0; row < indices.length; row++) {
        const label = domain.labels[start + row]!;
        let best = 0;
        for (let c = 1; c < classCount; c++) if (values[row * classCount + c]! > values[row * classCount + best]!) best = c;
        predictions[start + row] = best;
        if (best === label) correct++;
        lossSum -= Math.log(Math.max(minProbability, values[row * classCount + label]!));
      }
      if (pooled) {
        dimension = pooled.shape[1]!;
        activations ??= new Float32Array(domain.count * dimension);
        const pooledValues = (await pooled.data()) as Float32Array;
        activations.set(pooledValues.subarray(0, indices.length * dimension), start * dimension);
      }
    } finally {
      tf.dispose([input, ...outputs]);
      pooled?.dispose();
    }
  }
  const count = Math.max(1, domain.count);
  return { predictions, accuracy: correct / count, loss: lossSum / count, activations, dimension: activations ? dimension : undefined };
}

function padIndices(indices: Int32Array, size: number): Int32Array {
  if (indices.length === size) return indices;
  const padded = new Int32Array(size);
  padded.set(indices);
  padded.fill(indices[0]!, indices.length);
  return padded;
}

function probeModel(model: tf.LayersModel, layerName: string): tf.LayersModel {
  const names = model.layers.map((layer) => layer.name);
  if (!names.includes(layerName)) {
    throw new InputError(`layer not found: ${JSON.stringify(layerName)} in probeLayer (model layers: ${names.join(", ")})`, {
      field: "probeLayer",
      value: layerName,
    });
  }
  const layerOutput = model.getLayer(layerName).output as tf.SymbolicTensor;
  // The probe model shares the original's layers and weights, so it must never be disposed.
  return tf.model({ inputs: model.inputs, outputs: [layerOutput, model.outputs[0]!] });
}

/** Averages a [n, h, w, c] activation over h and w; passes a [n, d] activation through as a copy. */
function poolChannels(activation: tf.Tensor): tf.Tensor2D {
  if (activation.rank === 4) return tf.mean(activation, [1, 2]) as tf.Tensor2D;
  if (activation.rank === 2) return activation.clone() as tf.Tensor2D;
  return tf.tidy(() => activation.reshape([activation.shape[0]!, -1]) as tf.Tensor2D);
}
