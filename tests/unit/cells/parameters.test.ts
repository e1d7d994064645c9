import { expect, test } from "vitest";
import { parameters } from "../../../src/cells/parameters.ts";

const defaults = { epochs: 8, learningRate: 0.001, frozenLayers: [] as string[], projection: "tsne" };

test("parameters without overrides keep the defaults", () => {
  expect(parameters(defaults)).toEqual(defaults);
});

test("string overrides parse as JSON", () => {
  const result = parameters(defaults, { epochs: "2", frozenLayers: '["conv1"]', projection: "umap" });
  expect(result.epochs).toBe(2);
  expect(result.frozenLayers).toEqual(["conv1"]);
  expect(result.projection).toBe("umap");
});

test("unknown parameter names the known ones", () => {
  expect(() => parameters(defaults, { epoch: "2" })).toThrow("parameter not found: epoch (known parameters: epochs, learningRate, frozenLayers, projection)");
});

test("wrong type names the expected type", () => {
  expect(() => parameters(defaults, { epochs: '"many"' })).toThrow('invalid parameter epochs: "many" (expected number, like the default 8)');
});

test("malformed JSON says what to write", () => {
  expect(() => parameters(defaults, { frozenLayers: "[conv1" })).toThrow('invalid parameter frozenLayers: "[conv1" (expected JSON');
});
