import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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

/** Drops a folder on the folder picker through Chromium's own drag input, since a synthetic DragEvent cannot carry a directory. */
async function dropFolder(folder: string): Promise<void> {
  const page = opened.page;
  const picker = page.locator("[data-view=folder-picker]");
  await picker.scrollIntoViewIfNeeded();
  const box = (await picker.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  const session = await page.context().newCDPSession(page);
  const data = { items: [], files: [folder], dragOperationsMask: 1 };
  for (const type of ["dragEnter", "dragOver", "drop"] as const) {
    await session.send("Input.dispatchDragEvent", { type, x, y, data });
  }
  await session.detach();
}

/** Writes shapes/circle/{a,b}.png and shapes/square/a.png, plus the empty class folders named. */
function writeShapes(emptyClasses: string[]): string {
  const root = join(mkdtempSync(join(tmpdir(), "carryover-drop-")), "shapes");
  const png = readFileSync("public/data/digit-folder/0/01.png");
  for (const path of ["circle/a.png", "circle/b.png", "square/a.png"]) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), png);
  }
  for (const name of emptyClasses) mkdirSync(join(root, name));
  return root;
}

test("dropped folder becomes a domain", async () => {
  await dropFolder(writeShapes([]));
  await opened.page.waitForFunction(() => document.querySelector("[data-view=domain]")?.textContent?.includes("shapes:"), null, { timeout: 60_000 });
  const text = await opened.page.textContent("[data-view=domain]");
  expect(text).toContain("shapes: 3 images of 28 × 28 × 1, 2 classes (circle: 2, square: 1)");
});

test("dropped empty class is named", async () => {
  await dropFolder(writeShapes(["triangle"]));
  await opened.page.waitForFunction(() => document.querySelector('section.cell[data-cell-id="domain"] .cell-error')?.textContent?.includes("empty class folder"), null, { timeout: 60_000 });
  const shown = await opened.page.textContent('section.cell[data-cell-id="domain"] .cell-error');
  expect(shown).toContain("empty class folder: shapes/triangle/ has no images");
});
