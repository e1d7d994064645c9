import * as tf from "@tensorflow/tfjs";
import type { BackendChoice } from "../../gpu/backend.ts";
import { InputError } from "../errors.ts";
import { readModelArtifacts, type ModelFileSet } from "./artifacts.ts";

/** Where a model comes from: the URL of its model.json, or files picked in or dropped on the page. */
export type ModelSource = string | URL | FileList | readonly File[];

export interface LoadModelOptions {
  /**
   * The backend the weights are loaded onto. Taking it as an argument makes the notebook cell
   * that loads a model wait for the cell that selects the backend.
   */
  backend: BackendChoice;
}

/**
 * Loads any TensorFlow.js layers model, sequential or functional, from a URL or from picked
 * files (model.json plus the weight shards it lists). Every file is read and checked first,
 * so a bad one is named in the error; the model itself is built by tf.loadLayersModel.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions): Promise<tf.LayersModel> {
  const { backend } = options;
  if (tf.getBackend() !== backend.name) {
    throw new Error(`invalid backend: TensorFlow.js runs on ${tf.getBackend()} but the model was requested on ${backend.name}. Select the backend again before loading.`);
  }
  const files = typeof source === "string" || source instanceof URL ? await urlFileSet(String(source)) : await pickedFileSet(source);
  const artifacts = await readModelArtifacts(files);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`invalid model: ${files.jsonName} failed to build (${reason}). Check that it is a TensorFlow.js layers model, not a graph model.`, {
      file: files.jsonName,
      field: "modelTopology",
      cause: error,
    });
  }
}

async function urlFileSet(url: string): Promise<ModelFileSet> {
  const response = await fetchOrExplain(url, url);
  if (!response.ok) {
    throw new InputError(`model not found: ${url} (HTTP ${response.status}). Check the path.`, { file: url, field: "url", value: url });
  }
  const base = new URL(url, location.href);
  return {
    jsonName: url,
    jsonText: await response.text(),
    shardPlace: `next to ${url}`,
    async readShard(path) {
      const shardUrl = new URL(path, base).href;
      const shard = await fetchOrExplain(shardUrl, path);
      if (shard.status === 404) return undefined;
      if (!shard.ok) throw new InputError(`failed to fetch weight shard ${path} from ${shardUrl} (HTTP ${shard.status}).`, { file: path, field: "url", value: shardUrl });
      // Vite and other single-page servers answer a missing file with their index.html.
      if ((shard.headers.get("content-type") ?? "").includes("text/html")) return undefined;
      return shard.arrayBuffer();
    },
  };
}

async function fetchOrExplain(url: string, file: string): Promise<Response> {
  try {
    return await fetch(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`failed to fetch ${file} from ${url}: ${reason}. Check that the server is running and allows this page to read it (CORS).`, {
      file,
      field: "url",
      value: url,
      cause: error,
    });
  }
}

async function pickedFileSet(picked: FileList | readonly File[]): Promise<ModelFileSet> {
  const files = [...picked];
  const jsonFiles = files.filter((file) => file.name.toLowerCase().endsWith(".json"));
  if (jsonFiles.length !== 1) {
    const names = files.map((file) => file.name).join(", ") || "none";
    throw new InputError(
      `${jsonFiles.length === 0 ? "missing model.json" : "more than one .json file"} among the picked files (${names}). Pick one model.json and the weight shards it lists.`,
      { field: "files", value: names },
    );
  }
  const json = jsonFiles[0]!;
  // Shards are matched by file name, because a picked file does not reveal its folder.
  const byName = new Map(files.map((file) => [file.name, file]));
  return {
    jsonName: json.name,
    jsonText: await json.text(),
    shardPlace: "among the picked files",
    readShard: async (path) => byName.get(path.split("/").at(-1)!)?.arrayBuffer(),
  };
}
