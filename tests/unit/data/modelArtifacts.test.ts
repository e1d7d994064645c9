import "@tensorflow/tfjs";
import { describe, expect, test } from "vitest";
import { readModelArtifacts } from "../../../src/cells/models/artifacts.ts";

/** A two-layer model.json: dense 2 → 3 (kernel 2 × 3, bias 3), 36 bytes of float32 weights. */
const modelJson = JSON.stringify({
  format: "layers-model",
  modelTopology: {
    class_name: "Sequential",
    config: {
      name: "tiny",
      layers: [{ class_name: "Dense", config: { name: "dense", units: 3, batch_input_shape: [null, 2] } }],
    },
  },
  weightsManifest: [
    {
      paths: ["group1-shard1of1.bin"],
      weights: [
        { name: "dense/kernel", shape: [2, 3], dtype: "float32" },
        { name: "dense/bias", shape: [3], dtype: "float32" },
      ],
    },
  ],
});

function fileSet(jsonText: string, shards: Record<string, number>) {
  return {
    jsonName: "model.json",
    jsonText,
    shardPlace: "among the picked files",
    readShard: async (path: string) => (path in shards ? new ArrayBuffer(shards[path]!) : undefined),
  };
}

describe("readModelArtifacts", () => {
  test("assembles a good model", async () => {
    const artifacts = await readModelArtifacts(fileSet(modelJson, { "group1-shard1of1.bin": 36 }));
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(36);
    expect(artifacts.weightSpecs!.map((spec) => spec.name)).toEqual(["dense/kernel", "dense/bias"]);
  });

  test("names a missing shard", async () => {
    await expect(readModelArtifacts(fileSet(modelJson, {}))).rejects.toThrow(
      "missing weight shard: group1-shard1of1.bin (listed in model.json at weightsManifest[0].paths[0], not found among the picked files)",
    );
  });

  test("gives both sizes of a wrong shard", async () => {
    await expect(readModelArtifacts(fileSet(modelJson, { "group1-shard1of1.bin": 40 }))).rejects.toThrow(
      "invalid weight shard size: group1-shard1of1.bin (40 bytes) hold 40 bytes but weightsManifest[0] in model.json describes 36 bytes (dense/kernel, dense/bias)",
    );
  });

  test("names an unsupported layer", async () => {
    const json = modelJson.replace('"class_name":"Dense"', '"class_name":"Capsule"');
    await expect(readModelArtifacts(fileSet(json, { "group1-shard1of1.bin": 36 }))).rejects.toThrow(
      'unsupported layer type: Capsule (layer "dense", modelTopology.config.layers[0].class_name in model.json)',
    );
  });

  test("rejects malformed JSON", async () => {
    await expect(readModelArtifacts(fileSet("{ not json", {}))).rejects.toThrow("invalid model.json: model.json is not valid JSON");
  });

  test("names a missing field", async () => {
    await expect(readModelArtifacts(fileSet('{"modelTopology": {}}', {}))).rejects.toThrow("missing weightsManifest in model.json");
  });
});
