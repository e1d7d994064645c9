import { afterAll, beforeAll, expect, test } from "vitest";
import { openPage, type OpenedPage } from "./harness.ts";
import { runNotebookText } from "./notebook.ts";

const fence = "```";
/** A model picker and a folder picker, each feeding a loader and a view. */
const notebook = `# Pickers

${fence}js id=backend
import { selectBackend } from "carryover";
const backend = await selectBackend();
${fence}

${fence}js id=modelPick
import { modelPicker } from "carryover";
const modelInput = modelPicker({ url: "models/digits-bn/model.json" });
display(modelInput);
${fence}

${fence}js id=modelValues
const modelSource = modelInput.values();
${fence}

${fence}js id=model
import { loadModel } from "carryover";
const model = await loadModel(modelSource, { backend });
${fence}

${fence}js id=summary
import { modelSummaryView } from "carryover";
modelSummaryView(model);
${fence}

${fence}js id=folderPick
import { folderPicker } from "carryover";
const folderInput = folderPicker();
display(folderInput);
${fence}

${fence}js id=folderValues
const picked = folderInput.values();
${fence}

${fence}js id=domain
import { imageFolderDomain, domainView } from "carryover";
picked === null ? "no folder yet" : domainView(await imageFolderDomain(picked.files, { shape: [28, 28, 1], folders: picked.folders, invert: true }));
${fence}
`;

let opened: OpenedPage;
const summaryText = () => opened.page.textContent('section.cell[data-cell-id="summary"]');

beforeAll(async () => {
  opened = await openPage("/?headless&cache=off");
  await runNotebookText(opened.page, notebook, "pickers.md", {}, 120_000);
});

afterAll(async () => {
  await opened?.close();
});

test("default URL model loads", async () => {
  expect(await summaryText()).toContain("digits_bn: 11 layers");
});

test("picked files replace the model", async () => {
  await opened.page.setInputFiles("[data-view=model-picker] input[type=file]", ["public/models/mnist-cnn/model.json", "public/models/mnist-cnn/weights.bin"]);
  await opened.page.waitForFunction(() => document.querySelector('section.cell[data-cell-id="summary"]')?.textContent?.includes("mnist_cnn"), null, { timeout: 60_000 });
  expect(await summaryText()).toContain("Conv2D");
  expect(await opened.page.textContent("[data-view=model-picker] .picker-status")).toBe("model: model.json, weights.bin");
});

test("dropped files replace the model", async () => {
  await opened.page.evaluate(async () => {
    const transfer = new DataTransfer();
    for (const name of ["model.json", "weights.bin"]) {
      const blob = await (await fetch(`models/digits-bn/${name}`)).blob();
      transfer.items.add(new File([blob], name));
    }
    document.querySelector("[data-view=model-picker]")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await opened.page.waitForFunction(() => document.querySelector('section.cell[data-cell-id="summary"]')?.textContent?.includes("digits_bn"), null, { timeout: 60_000 });
  expect(await summaryText()).toContain("BatchNormalization");
});

test("URL field loads a model", async () => {
  await opened.page.fill("[data-view=model-picker] input[type=url]", "models/mnist-cnn/model.json");
  await opened.page.click("[data-view=model-picker] button");
  await opened.page.waitForFunction(() => document.querySelector('section.cell[data-cell-id="summary"]')?.textContent?.includes("mnist_cnn"), null, { timeout: 60_000 });
});

test("bad pick fails only its cells", async () => {
  await opened.page.setInputFiles("[data-view=model-picker] input[type=file]", ["public/models/digits-bn/model.json"]);
  await opened.page.waitForFunction(() => document.querySelector('section.cell[data-cell-id="model"] .cell-error')?.textContent?.includes("missing weight shard"), null, { timeout: 60_000 });
  const picker = await opened.page.locator("[data-view=model-picker]").count();
  expect(picker).toBe(1);
  expect(await opened.page.evaluate(() => window.carryover!.page()!.runtime.cellState("backend").status)).toBe("fulfilled");
});

test("picked folder becomes a domain", async () => {
  await opened.page.setInputFiles("[data-view=folder-picker] input[type=file]", "public/data/digit-folder");
  await opened.page.waitForFunction(() => document.querySelector("[data-view=domain]")?.textContent?.includes("124 images"), null, { timeout: 60_000 });
  const text = await opened.page.textContent("[data-view=domain]");
  expect(text).toContain("digit-folder: 124 images of 28 × 28 × 1, 11 classes (0: 12, 1: 12");
  expect(text).toContain("other: 4");
});
