import * as tf from "@tensorflow/tfjs";
import type { BackendChoice } from "../../gpu/backend.ts";
import { InputError } from "../errors.ts";
import { loadModel } from "../models/load.ts";

/** The image shape every model in the digits case study takes: 28 × 28, one channel. */
export const imageShape = [28, 28, 1] as const;

export interface LoadModelOptions {
  /** Classes the model must output, one probability each. */
  classCount: number;
  /**
   * The backend the weights are loaded onto. Taking it as an argument makes a notebook cell
   * that loads a model wait for the cell that selects the backend.
   */
  backend: BackendChoice;
}

/**
 * Loads a TensorFlow.js layers model (model.json plus weight shards) and checks that it
 * takes 28 × 28 × 1 images and outputs one probability per class.
 */
export async function loadSourceModel(url: string, options: LoadModelOptions): Promise<tf.LayersModel> {
  const model = await loadModel(url, { backend: options.backend });
  try {
    checkModelShape(model, url, options.classCount);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

function checkModelShape(model: tf.LayersModel, url: string, classCount: number): void {
  const input = model.inputs[0]?.shape ?? [];
  const expectedInput = [null, ...imageShape];
  if (input.length !== expectedInput.length || input.some((size, i) => size !== expectedInput[i])) {
    throw new InputError(
      `invalid model input shape: [${input.join(", ")}] in ${url} (expected [null, 28, 28, 1]). The digits case study feeds 28 × 28 grey images.`,
      { file: url, field: "batch_input_shape", value: `[${input.join(", ")}]` },
    );
  }
  const output = model.outputs[0]?.shape ?? [];
  if (output.length !== 2 || output[1] !== classCount) {
    throw new InputError(
      `invalid model output shape: [${output.join(", ")}] in ${url} (expected [null, ${classCount}], one probability per class).`,
      { file: url, field: "output shape", value: `[${output.join(", ")}]` },
    );
  }
}

/** Makes an independent copy of a model: same architecture, same weights, separate tensors. */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  return modelFromArtifacts(await saveArtifacts(model));
}

/** Reads a model's topology and weights into memory (an ArrayBuffer on the CPU). */
export async function saveArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return artifacts!;
}

/** Builds a new model, with its own tensors on the current backend, from saved artifacts. */
export function modelFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/**
 * Uploads saved weights into an existing model again, matched by weight name. Used after the
 * GPU device was lost, when the model's tensors went with it.
 */
export function reuploadWeights(model: tf.LayersModel, artifacts: tf.io.ModelArtifacts): void {
  const named = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []);
  const values = model.weights.map((weight) => {
    const value = named[weight.originalName];
    if (!value) throw new Error(`missing weight ${weight.originalName} in the saved copy of the model (saved weights: ${Object.keys(named).join(", ")})`);
    return value;
  });
  try {
    model.setWeights(values);
  } finally {
    tf.dispose(Object.values(named));
  }
}

/** Marks the named layers as not trainable; every name must be a layer of the model. */
export function freezeLayers(model: tf.LayersModel, names: readonly string[]): void {
  const known = model.layers.map((layer) => layer.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new InputError(`layer not found: ${JSON.stringify(name)} in frozenLayers (model layers: ${known.join(", ")})`, {
        field: "frozenLayers",
        value: name,
      });
    }
  }
  for (const layer of model.layers) layer.trainable = !names.includes(layer.name);
}

/** Checks that every label is a class the model outputs, naming the first one that is not. */
export function checkLabels(labels: Uint8Array, classCount: number, domainName: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= classCount) {
      throw new InputError(
        `invalid label in ${domainName}: ${labels[i]} at image ${i} (expected 0..${classCount - 1}, the model's classes). Map the labels onto the model's classes or drop those images.`,
        { file: domainName, field: "labels", value: String(labels[i]) },
      );
    }
  }
}
