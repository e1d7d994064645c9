import * as tf from "@tensorflow/tfjs";
import { InputError } from "../errors.ts";

/**
 * Reads and checks the files of a TensorFlow.js layers model (model.json plus weight shards)
 * before TensorFlow.js parses them, so each fault gets a message that names the file, the field
 * and the value: malformed JSON, a missing field, a missing or wrongly sized weight shard,
 * and a layer type TensorFlow.js cannot build.
 */

/** The model files as read: model.json's text and a reader for each weight shard by its path in the manifest. */
export interface ModelFileSet {
  /** Name shown in messages: the URL of model.json, or the picked file's name. */
  jsonName: string;
  jsonText: string;
  /** Returns the shard's bytes, or undefined when no such file exists. */
  readShard(path: string): Promise<ArrayBuffer | undefined>;
  /** Place searched for shards, for messages: "next to model.json" or "among the picked files". */
  shardPlace: string;
}

interface WeightGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** Bytes per value of each weight dtype that layers models store. */
const bytesPerValue: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Parses, checks and assembles the files into artifacts that tf.io.fromMemory can load. */
export async function readModelArtifacts(files: ModelFileSet): Promise<tf.io.ModelArtifacts> {
  const file = files.jsonName;
  if (/^\s*</.test(files.jsonText)) {
    throw new InputError(`model not found: ${file} (an HTML page came back, not model.json). Check the path.`, { file });
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(files.jsonText) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`invalid model.json: ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Re-export the model in TensorFlow.js layers format.`, { file, cause: error });
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw new InputError(`invalid model.json: ${file} contains ${Array.isArray(json) ? "an array" : String(json)} (expected an object with modelTopology and weightsManifest).`, { file });
  }
  for (const field of ["modelTopology", "weightsManifest"] as const) {
    if (!(field in json)) {
      throw new InputError(`missing ${field} in ${file} (expected TensorFlow.js layers format: model.json with modelTopology and weightsManifest). Re-export the model, e.g. with tensorflowjs_converter --output_format tfjs_layers_model.`, { file, field });
    }
  }
  checkLayerTypes(json.modelTopology, file);
  const groups = checkManifest(json.weightsManifest, file);

  const buffers: ArrayBuffer[] = [];
  for (const [groupIndex, group] of groups.entries()) {
    const shards: { path: string; bytes: ArrayBuffer }[] = [];
    for (const [pathIndex, path] of group.paths.entries()) {
      const bytes = await files.readShard(path);
      if (bytes === undefined) {
        throw new InputError(
          `missing weight shard: ${path} (listed in ${file} at weightsManifest[${groupIndex}].paths[${pathIndex}], not found ${files.shardPlace}). Add every .bin file that model.json lists.`,
          { file: path, field: `weightsManifest[${groupIndex}].paths[${pathIndex}]`, value: path },
        );
      }
      shards.push({ path, bytes });
    }
    const expected = groupBytes(group);
    const actual = shards.reduce((sum, shard) => sum + shard.bytes.byteLength, 0);
    if (expected !== undefined && actual !== expected) {
      const names = shards.map((shard) => `${shard.path} (${shard.bytes.byteLength} bytes)`).join(", ");
      throw new InputError(
        `invalid weight shard size: ${names} hold ${actual} bytes but weightsManifest[${groupIndex}] in ${file} describes ${expected} bytes (${group.weights.map((w) => w.name).join(", ")}). The shard is truncated or belongs to another model; export the model again.`,
        { file: shards[0]!.path, field: `weightsManifest[${groupIndex}]`, value: String(actual) },
      );
    }
    buffers.push(...shards.map((shard) => shard.bytes));
  }
  return {
    modelTopology: json.modelTopology as object,
    format: json.format as string | undefined,
    generatedBy: json.generatedBy as string | undefined,
    convertedBy: json.convertedBy as string | null | undefined,
    weightSpecs: groups.flatMap((group) => group.weights),
    weightData: concatenate(buffers),
  };
}

function checkManifest(manifest: unknown, file: string): WeightGroup[] {
  if (!Array.isArray(manifest)) {
    throw new InputError(`invalid weightsManifest in ${file}: ${typeof manifest} (expected an array of { paths, weights } groups).`, { file, field: "weightsManifest" });
  }
  return manifest.map((group: unknown, index) => {
    const entry = group as Partial<WeightGroup> | null;
    if (!entry || !Array.isArray(entry.paths) || !Array.isArray(entry.weights)) {
      throw new InputError(`invalid weightsManifest[${index}] in ${file} (expected { paths: [...], weights: [...] }).`, { file, field: `weightsManifest[${index}]` });
    }
    return entry as WeightGroup;
  });
}

/** Expected bytes of a weight group, or undefined when it contains strings, whose size the manifest does not give. */
function groupBytes(group: WeightGroup): number | undefined {
  let total = 0;
  for (const weight of group.weights) {
    const dtype = weight.quantization?.dtype ?? weight.dtype;
    const size = bytesPerValue[dtype];
    if (size === undefined) return undefined;
    total += weight.shape.reduce((product, dimension) => product * dimension, 1) * size;
  }
  return total;
}

/** Rejects layer types that TensorFlow.js has no implementation for, naming the layer. */
function checkLayerTypes(topology: unknown, file: string): void {
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  const root = (topology as { model_config?: unknown })?.model_config ?? topology;
  const visit = (node: unknown, path: string) => {
    const model = node as { class_name?: unknown; config?: unknown } | null;
    if (!model || typeof model !== "object") return;
    const config = model.config as { layers?: unknown } | unknown[] | undefined;
    const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
    if (!Array.isArray(layers)) return;
    layers.forEach((layer: { class_name?: unknown; config?: { name?: unknown } }, index) => {
      const className = String(layer?.class_name);
      const where = Array.isArray(config) ? `${path}.config[${index}]` : `${path}.config.layers[${index}]`;
      if (!(className in known)) {
        const name = layer?.config?.name;
        throw new InputError(
          `unsupported layer type: ${className} (layer ${JSON.stringify(name ?? "?")}, ${where}.class_name in ${file}). TensorFlow.js layers cannot build it; replace it before export, or register a custom layer with tf.serialization.registerClass.`,
          { file, field: `${where}.class_name`, value: className },
        );
      }
      visit(layer, where);
    });
  };
  visit(root, root === topology ? "modelTopology" : "modelTopology.model_config");
}

function concatenate(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const buffer of buffers) {
    joined.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return joined.buffer;
}
