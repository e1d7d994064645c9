import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { levelViewTests } from "./levelChecks.ts";
import { readNotebook, runNotebookText, tinyParams } from "./notebook.ts";

/** Runs a case study tiny and checks that every level's view draws with real numbers. */
function checkLevels(notebook: string, classCaptions: readonly string[], modelTensors: number, projectionLayer: string, extraParams: Record<string, string> = {}) {

  let opened: OpenedPage;
  let results: HeadlessResults;
  let tensorsBefore: number;

  beforeAll(async () => {
    opened = await openPage("/?headless");
    await opened.page.waitForFunction(() => "carryover" in window);
    tensorsBefore = await opened.page.evaluate(() => window.carryover!.tensorCount());
    results = await runNotebookText(opened.page, readNotebook(`notebooks/${notebook}`), notebook, { ...tinyParams, ...extraParams });
  });

  afterAll(async () => {
    await opened?.close();
  });

  test("every cell succeeds", () => {
    const failed = results.cells.filter((cell) => cell.status !== "ok");
    expect(failed, opened.console.join("\n")).toEqual([]);
  });

  test("negative transfer compares with scratch", async () => {
    const page = opened.page;
    const verdict = await page.getAttribute("[data-view=negative-transfer]", "data-transfer");
    expect(["negative", "positive"]).toContain(verdict);
    expect(await page.textContent("[data-view=negative-transfer] p")).toMatch(/percentage points (below|above) training from scratch \(\d+\.\d% vs \d+\.\d%\)/);
    const dots = await page.$$eval("[data-view=negative-transfer] circle", (nodes) => nodes.length);
    expect(dots).toBe(6);
  });

  levelViewTests(() => opened.page, { biplotPoints: 60, projectionLayer });

  test("flips list outlines the projection selection", async () => {
    const page = opened.page;
    const sections = await page.$$eval("[data-view=flips] [data-flips]", (nodes) => nodes.map((node) => node.getAttribute("data-flips")));
    expect(sections).toEqual(["correct-to-wrong", "wrong-to-correct"]);
    const flipped = await page.$$eval("[data-view=flips] figure", (figures) => figures.map((figure) => Number(figure.getAttribute("data-row"))));
    expect(flipped.length).toBeGreaterThan(0);
    await page.evaluate((rows) => (document.querySelector("[data-view=projection]") as HTMLElement & { select(indices: number[]): void }).select(rows), [flipped[0]!]);
    await page.waitForFunction(() => document.querySelectorAll("[data-view=flips] figure[data-selected]").length === 1, null, { timeout: 60_000 });
  });

  test("class filter narrows the flips", async () => {
    const page = opened.page;
    const all = await page.$$eval("[data-view=flips] figure", (figures) => figures.length);
    const label = await page.$eval("[data-view=flips] figure figcaption", (caption) => caption.textContent!.split(":")[0]!);
    await page.selectOption("[data-view=class-filter]", String(classCaptions.indexOf(label)));
    await page.waitForFunction(() => /of class/.test(document.querySelector("[data-view=flips]")?.textContent ?? ""), null, { timeout: 60_000 });
    const captions = await page.$$eval("[data-view=flips] figure figcaption", (nodes) => nodes.map((node) => node.textContent!.split(":")[0]));
    expect(captions.length).toBeLessThanOrEqual(all);
    for (const caption of captions) expect(caption).toBe(label);
  });

  test("canvas view places every cell at its saved place and recomputes nothing", async () => {
    const page = opened.page;
    const runCounts = () => page.evaluate(() => Object.fromEntries(window.carryover!.page()!.cellStates().map((state) => [state.id, state.runCount])));
    const before = await runCounts();
    await page.evaluate(() => window.carryover!.page()!.setView("canvas"));
    await page.waitForSelector(".canvas-view .canvas-node");
    expect(await page.$$eval(".canvas-node", (nodes) => nodes.map((node) => (node as HTMLElement).dataset.cellId))).toEqual(Object.keys(before));
    // Every cell of a shipped case study carries a canvas= place, so none is placed automatically.
    const fences = readNotebook(`notebooks/${notebook}`).split("\n").filter((line) => line.startsWith("```js"));
    expect(fences.filter((line) => !/ canvas=\d+,\d+,\d+,\d+/.test(line))).toEqual([]);
    expect(await page.$$eval(".canvas-connector", (groups) => groups.length)).toBeGreaterThan(fences.length);
    await page.evaluate(() => window.carryover!.page()!.setView("document"));
    expect(await runCounts()).toEqual(before);
  });

  test("tensors return to baseline after dispose", async () => {
    const page = opened.page;
    expect(await page.evaluate(() => window.carryover!.tensorCount())).toBe(tensorsBefore + modelTensors);
    await page.evaluate(() => window.carryover!.page()!.dispose());
    await page.waitForFunction((baseline) => window.carryover!.tensorCount() === baseline, tensorsBefore, { timeout: 10_000 }).catch(() => undefined);
    expect(await page.evaluate(() => window.carryover!.tensorCount())).toBe(tensorsBefore);
  });
}

describe("digits case study levels, tiny run", () => checkLevels("digits.md", ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], 8, "dense1", { baseline: "true" }));

describe("fashion case study levels, tiny run", () =>
  checkLevels(
    "fashion.md",
    ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"].map((name, label) => `${label} / ${name}`),
    // Convolutions and dense1 of the digit model (6 weight tensors), and the new head's kernel and bias.
    8,
    // A layer the snapshots do not record, so the projection reads it from the model at each epoch.
    "conv2",
    { projectionLayer: "conv2" },
  ));
