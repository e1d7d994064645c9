import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { runNotebookText } from "./notebook.ts";

const fence = "```";
const cell = (id: string, source: string) => `${fence}js id=${id}\n${source.trim()}\n${fence}\n`;

/**
 * One notebook with a cell per bad input a researcher can bring, built from the test model's
 * real files, next to cells that must keep working.
 */
const notebook = [
  "# Bring your own: bad input\n",
  cell("backend", `
import { selectBackend } from "carryover";
const backend = await selectBackend();
`),
  cell("files", `
const modelJsonText = await (await fetch("models/digits-bn/model.json")).text();
const weightBytes = new Uint8Array(await (await fetch("models/digits-bn/weights.bin")).arrayBuffer());
const asFile = (parts, name) => new File(parts, name);
`),
  cell("png", `
async function png(grey) {
  const canvas = new OffscreenCanvas(8, 8);
  const context = canvas.getContext("2d");
  context.fillStyle = "rgb(" + grey + "," + grey + "," + grey + ")";
  context.fillRect(0, 0, 8, 8);
  return canvas.convertToBlob({ type: "image/png" });
}
const white = await png(255);
const black = await png(0);
`),
  cell("goodModel", `
import { loadModel } from "carryover";
const model = await loadModel([asFile([modelJsonText], "model.json"), asFile([weightBytes], "weights.bin")], { backend });
`),
  cell("malformedJson", `
import { loadModel } from "carryover";
const malformed = await loadModel("/tests/browser/fixtures/malformed-model/model.json", { backend });
`),
  cell("missingShard", `
import { loadModel } from "carryover";
const noShard = await loadModel([asFile([modelJsonText], "model.json")], { backend });
`),
  cell("missingShardUrl", `
import { loadModel } from "carryover";
const noShardUrl = await loadModel("/tests/browser/fixtures/missing-shard/model.json", { backend });
`),
  cell("shortShard", `
import { loadModel } from "carryover";
const shortShard = await loadModel([asFile([modelJsonText], "model.json"), asFile([weightBytes.slice(0, 100)], "weights.bin")], { backend });
`),
  cell("unknownLayer", `
import { loadModel } from "carryover";
const edited = JSON.parse(modelJsonText);
edited.modelTopology.config.layers[5].class_name = "FancyNorm";
const unknown = await loadModel([asFile([JSON.stringify(edited)], "model.json"), asFile([weightBytes], "weights.bin")], { backend });
`),
  cell("shapeMismatch", `
import { FineTuning, domainFromArrays, makeProbeSet } from "carryover";
const colour = domainFromArrays({ name: "colour photos", images: new Uint8Array(4 * 32 * 32 * 3), shape: [32, 32, 3], labels: [0, 1, 2, 3], classNames: ["0","1","2","3","4","5","6","7","8","9"] });
const wrongShape = new FineTuning({
  sourceModel: model,
  data: { sourceTrain: colour, sourceVal: colour, targetTrain: colour, targetVal: colour, probe: makeProbeSet(colour, colour) },
  params: { epochs: 1, learningRate: 0.001, batchSize: 2, frozenLayers: [], seed: 1, probeLayer: "features" },
  backend: backend.name,
});
`),
  cell("undecodable", `
import { imageFolderDomain } from "carryover";
const broken = await imageFolderDomain([
  { path: "pets/cat/01.png", file: white },
  { path: "pets/cat/02.png", file: new Blob(["this is not a PNG"], { type: "image/png" }) },
  { path: "pets/dog/01.png", file: black },
], { shape: [28, 28, 1] });
`),
  cell("emptyClass", `
import { imageFolderDomain } from "carryover";
const emptyClass = await imageFolderDomain([
  { path: "pets/cat/01.png", file: white },
  { path: "pets/dog/notes.txt", file: new Blob(["no images here"]) },
], { shape: [28, 28, 1] });
`),
  cell("emptyDroppedClass", `
import { imageFolderDomain } from "carryover";
const emptyDropped = await imageFolderDomain([
  { path: "pets/cat/01.png", file: white },
  { path: "pets/dog/01.png", file: black },
], { shape: [28, 28, 1], folders: ["pets/cat", "pets/dog", "pets/bird"] });
`),
  cell("oneClass", `
import { imageFolderDomain } from "carryover";
const oneClass = await imageFolderDomain([
  { path: "pets/cat/01.png", file: white },
  { path: "pets/cat/02.png", file: black },
], { shape: [28, 28, 1] });
`),
  cell("labelOutside", `
import { domainFromArrays } from "carryover";
const outside = domainFromArrays({ name: "labels.npy", images: new Uint8Array(3 * 4), shape: [2, 2, 1], labels: [0, 1, 7], classNames: ["cat", "dog"] });
`),
  cell("nothingToProbe", `
import * as tf from "@tensorflow/tfjs";
import { FineTuning, domainFromArrays, makeProbeSet } from "carryover";
const flat = tf.sequential({ name: "flat_softmax", layers: [tf.layers.flatten({ inputShape: [28, 28, 1], name: "flatten" }), tf.layers.dense({ units: 2, activation: "softmax", name: "out" })] });
const pair = domainFromArrays({ name: "pair", images: new Uint8Array(2 * 784), shape: [28, 28, 1], labels: [0, 1], classNames: ["a", "b"] });
const noProbe = new FineTuning({
  sourceModel: flat,
  data: { sourceTrain: pair, sourceVal: pair, targetTrain: pair, targetVal: pair, probe: makeProbeSet(pair, pair) },
  params: { epochs: 1, learningRate: 0.001, batchSize: 2, frozenLayers: [], seed: 1, probeLayer: "" },
  backend: backend.name,
});
`),
  cell("goodFolder", `
import { imageFolderDomain } from "carryover";
const pets = await imageFolderDomain([
  { path: "pets/cat/01.png", file: white },
  { path: "pets/dog/01.png", file: black },
  { path: "pets/.DS_Store", file: new Blob(["x"]) },
], { shape: [28, 28, 1], invert: true });
`),
  cell("colourFolder", `
import { imageFolderDomain } from "carryover";
const colourPets = await imageFolderDomain([
  { path: "pets/cat/01.png", file: white },
  { path: "pets/dog/01.png", file: black },
], { shape: [4, 6, 3], fit: "contain" });
`),
  cell("stillFine", `
const layerCount = model.layers.length;
`),
].join("\n");

describe("bring your own: bad input", () => {
  let opened: OpenedPage;
  let results: HeadlessResults;
  const message = (id: string) => {
    const outcome = results.cells.find((cell) => cell.id === id)!;
    expect(outcome.status, `cell ${id}`).toBe("error");
    return outcome.message!;
  };

  beforeAll(async () => {
    opened = await openPage("/?headless&cache=off");
    results = await runNotebookText(opened.page, notebook, "byo-bad-input.md", {}, 240_000);
  });

  afterAll(async () => {
    await opened?.close();
  });

  test("good cells keep working", () => {
    for (const id of ["backend", "files", "png", "goodModel", "goodFolder", "colourFolder", "stillFine"]) {
      expect(results.cells.find((cell) => cell.id === id), id).toMatchObject({ status: "ok" });
    }
  });

  test("malformed JSON names the file", () => {
    expect(message("malformedJson")).toContain("invalid model.json: /tests/browser/fixtures/malformed-model/model.json is not valid JSON");
  });

  test("missing picked shard names it", () => {
    expect(message("missingShard")).toContain("missing weight shard: weights.bin (listed in model.json at weightsManifest[0].paths[0], not found among the picked files)");
  });

  test("missing shard at a URL", () => {
    expect(message("missingShardUrl")).toContain("missing weight shard: weights.bin (listed in /tests/browser/fixtures/missing-shard/model.json at weightsManifest[0].paths[0], not found next to");
  });

  test("short shard gives both sizes", () => {
    expect(message("shortShard")).toMatch(/invalid weight shard size: weights\.bin \(100 bytes\) hold 100 bytes but weightsManifest\[0\] in model\.json describes \d+ bytes/);
  });

  test("unsupported layer type is named", () => {
    expect(message("unknownLayer")).toMatch(/unsupported layer type: FancyNorm \(layer "bn_b", modelTopology\.config\.layers\[5\]\.class_name in model\.json\)/);
  });

  test("input shape mismatch names both", () => {
    expect(message("shapeMismatch")).toContain('invalid input shape: colour photos has images of [32, 32, 3] but model "digits_bn" takes [28, 28, 1]');
  });

  test("undecodable image is named", () => {
    expect(message("undecodable")).toContain("invalid image: pets/cat/02.png could not be decoded");
  });

  test("empty class folder is named", () => {
    expect(message("emptyClass")).toContain("empty class folder: pets/dog/ has no images");
    expect(message("emptyDroppedClass")).toContain("empty class folder: pets/bird/ has no images");
  });

  test("one class only", () => {
    expect(message("oneClass")).toContain("invalid image folder: pets/ has one class only (cat) (expected at least 2 subfolders");
  });

  test("label outside the class list", () => {
    expect(message("labelOutside")).toContain("invalid label in labels.npy: 7 at image 2 (expected 0..1, an index into classNames [cat, dog])");
  });

  test("no layer worth probing", () => {
    expect(message("nothingToProbe")).toContain('no layer worth probing in model "flat_softmax": its layers are flatten (Flatten), out (Dense)');
  });

  test("errors render in place", async () => {
    const shown = await opened.page.textContent('section.cell[data-cell-id="shortShard"] .cell-error');
    expect(shown).toContain("invalid weight shard size");
  });

  test("good folder is prepared as stated", async () => {
    const pets = await opened.page.evaluate(() => {
      const domain = window.carryover!.page()!.runtime.cellState("goodFolder").values.get("pets") as { classNames: string[]; count: number; images: Uint8Array; preparation: string[] };
      return { classNames: domain.classNames, count: domain.count, first: domain.images[0], last: domain.images[2 * 784 - 1], preparation: domain.preparation };
    });
    expect(pets.classNames).toEqual(["cat", "dog"]);
    expect(pets.count).toBe(2);
    // White cat inverted to 0, black dog inverted to 255.
    expect(pets.first).toBe(0);
    expect(pets.last).toBe(255);
    expect(pets.preparation).toContain("inverted (255 - value)");
  });

  test("colour folder keeps RGB and pads", async () => {
    const colour = await opened.page.evaluate(() => {
      const domain = window.carryover!.page()!.runtime.cellState("colourFolder").values.get("colourPets") as { images: Uint8Array; shape: number[]; preparation: string[] };
      return { length: domain.images.length, shape: domain.shape, row: Array.from(domain.images.slice(0, 18)), preparation: domain.preparation };
    });
    expect(colour.shape).toEqual([4, 6, 3]);
    expect(colour.length).toBe(2 * 4 * 6 * 3);
    // A square white image contained in 4 × 6 fills the middle 4 columns; the black padding is 1 column each side.
    expect(colour.row).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0]);
    expect(colour.preparation).toContain("kept as RGB");
  });
});
