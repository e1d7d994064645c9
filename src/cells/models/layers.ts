import * as tf from "@tensorflow/tfjs";
import { imageShapeOf, type Domain } from "../data/types.ts";
import { InputError } from "../errors.ts";

/** One row of a model summary. */
export interface LayerRow {
  index: number;
  name: string;
  /** Keras class name, such as "Conv2D" or "BatchNormalization". */
  type: string;
  /** Output shape without the batch dimension, such as "26 × 26 × 16". */
  outputShape: string;
  parameters: number;
  trainable: boolean;
  /** True when the layer's activations are worth recording on the probe set (see probeLayerNames). */
  probe: boolean;
}

/**
 * Layer types whose output repeats the previous layer's values (rearranged, or unchanged at
 * inference time), so probing them adds nothing.
 */
const passThroughTypes = new Set([
  "InputLayer",
  "Dropout",
  "SpatialDropout1D",
  "GaussianDropout",
  "GaussianNoise",
  "AlphaDropout",
  "Flatten",
  "Reshape",
  "Permute",
]);

/** Lists the model's layers with their type, output shape, parameter count and whether they are worth probing. */
export function describeLayers(model: tf.LayersModel): LayerRow[] {
  const probe = new Set(probeLayerNames(model));
  return model.layers.map((layer, index) => ({
    index,
    name: layer.name,
    type: layer.getClassName(),
    outputShape: shapeText(layer.outputShape),
    parameters: layer.countParams(),
    trainable: layer.trainable,
    probe: probe.has(layer.name),
  }));
}

/**
 * Names of the hidden layers whose activations describe an image: rank-2 (dense) or rank-4
 * (convolutional, averaged per channel when probed) outputs with at least 2 units, excluding
 * the model's output layer and layers that only pass values through.
 */
export function probeLayerNames(model: tf.LayersModel): string[] {
  // Sequential models fill `outputLayers` lazily, so the output tensors' layers are used instead.
  const outputLayers = new Set(model.outputs.map((output) => output.sourceLayer.name));
  return model.layers
    .filter((layer) => {
      if (outputLayers.has(layer.name) || passThroughTypes.has(layer.getClassName())) return false;
      const shape = layer.outputShape;
      if (!Array.isArray(shape) || Array.isArray(shape[0])) return false;
      const dims = shape as (number | null)[];
      return (dims.length === 2 || dims.length === 4) && (dims.at(-1) ?? 0) >= 2;
    })
    .map((layer) => layer.name);
}

/**
 * Returns the layer to probe: `requested` when it is worth probing, or the last layer that is.
 * Fails with the list of candidates when the request is not one, or when there are none.
 */
export function chooseProbeLayer(model: tf.LayersModel, requested?: string): string {
  const candidates = probeLayerNames(model);
  const layers = model.layers.map((layer) => `${layer.name} (${layer.getClassName()})`).join(", ");
  if (candidates.length === 0) {
    throw new InputError(
      `no layer worth probing in model ${JSON.stringify(model.name)}: its layers are ${layers}, and none is a hidden dense or convolutional layer with 2 or more units. Bring a model with at least one hidden layer.`,
      { field: "probeLayer", value: requested ?? "" },
    );
  }
  if (requested === undefined || requested === "") return candidates.at(-1)!;
  if (!candidates.includes(requested)) {
    throw new InputError(`invalid probeLayer: ${JSON.stringify(requested)} (expected one of ${candidates.join(", ")}, the layers worth probing; all layers: ${layers})`, {
      field: "probeLayer",
      value: requested,
    });
  }
  return requested;
}

/**
 * Checks a run's probe layer: the model must have a layer worth probing, and `name` must name
 * one of its layers. Any layer is accepted, so a caller may probe a flatten or output layer.
 */
export function checkProbeLayer(model: tf.LayersModel, name: string): void {
  const candidates = probeLayerNames(model);
  if (candidates.length === 0) chooseProbeLayer(model, name);
  if (!name) {
    throw new InputError(`missing probeLayer (expected one of ${candidates.join(", ")}, the layers worth probing). Pass chooseProbeLayer(model) for the last one.`, {
      field: "probeLayer",
      value: "",
    });
  }
  const names = model.layers.map((layer) => layer.name);
  if (!names.includes(name)) {
    throw new InputError(`layer not found: ${JSON.stringify(name)} in probeLayer (model layers: ${names.join(", ")}; worth probing: ${candidates.join(", ")})`, {
      field: "probeLayer",
      value: name,
    });
  }
}

/** Returns the image shape the model takes, [height, width, channels], and fails for a model that does not take images. */
export function modelInputShape(model: tf.LayersModel): [number, number, number] {
  const shape = model.inputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || shape.length !== 4 || shape.slice(1).some((size) => typeof size !== "number")) {
    throw new InputError(
      `invalid model input shape: [${shape.join(", ")}] in model ${JSON.stringify(model.name)} (expected one input of [null, height, width, channels], an image batch).`,
      { field: "batch_input_shape", value: `[${shape.join(", ")}]` },
    );
  }
  return shape.slice(1) as [number, number, number];
}

/** Checks that a domain's images have the shape the model takes, naming both. */
export function checkInputShape(model: tf.LayersModel, domain: Domain): void {
  const expected = modelInputShape(model);
  const actual = imageShapeOf(domain);
  if (expected.join() !== actual.join()) {
    throw new InputError(
      `invalid input shape: ${domain.name} has images of [${actual.join(", ")}] but model ${JSON.stringify(model.name)} takes [${expected.join(", ")}] (batch_input_shape [null, ${expected.join(", ")}]). ` +
        "Prepare the images for this model, e.g. imageFolderDomain(files, { shape: modelInputShape(model) }).",
      { file: domain.name, field: "shape", value: `[${actual.join(", ")}]` },
    );
  }
}

export interface HeadOptions {
  /** Name of the last layer kept; a new dense softmax layer is attached to its output. */
  cutAfter: string;
  classCount: number;
  seed?: number;
}

/**
 * Builds a model that keeps the layers up to and including `cutAfter` and ends in a new
 * dense softmax head of `classCount` units, for a target with a different class count.
 * The result shares the kept layers (and their weights) with `model`, so dispose only one.
 */
export function replaceHead(model: tf.LayersModel, options: HeadOptions): tf.LayersModel {
  const { cutAfter, classCount, seed = 1 } = options;
  const names = model.layers.map((layer) => layer.name);
  if (!names.includes(cutAfter)) {
    throw new InputError(`layer not found: ${JSON.stringify(cutAfter)} in cutAfter (model layers: ${names.join(", ")})`, { field: "cutAfter", value: cutAfter });
  }
  if (!Number.isInteger(classCount) || classCount < 2) {
    throw new InputError(`invalid classCount: ${classCount} (expected a whole number of at least 2)`, { field: "classCount", value: String(classCount) });
  }
  let features = model.getLayer(cutAfter).output as tf.SymbolicTensor;
  if (features.shape.length > 2) features = tf.layers.flatten({ name: "head_flatten" }).apply(features) as tf.SymbolicTensor;
  const head = tf.layers.dense({
    units: classCount,
    activation: "softmax",
    name: "head",
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  });
  return tf.model({ inputs: model.inputs, outputs: head.apply(features) as tf.SymbolicTensor, name: `${model.name}_head${classCount}` });
}

function shapeText(shape: tf.Shape | tf.Shape[]): string {
  if (Array.isArray(shape[0])) return (shape as tf.Shape[]).map(shapeText).join("; ");
  return (shape as tf.Shape).slice(1).map((size) => size ?? "?").join(" × ");
}
