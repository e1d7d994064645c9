import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import type { RunState } from "../../src/cells/training/types.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { levelViewTests } from "./levelChecks.ts";
import { nonBackgroundPixels, readNotebook, runNotebookText } from "./notebook.ts";

/** Small enough for software WebGPU: 30 target and 100 source training images, 2 epochs. */
const tiny = { epochs: "2", budgetPerClass: "3", sourceSamples: "100", probePerDomain: "20" };

describe("template notebook on the test model", () => {
  let opened: OpenedPage;
  let results: HeadlessResults;

  beforeAll(async () => {
    opened = await openPage("/?headless&cache=off");
    results = await runNotebookText(opened.page, readNotebook("notebooks/template.md"), "template.md", tiny);
  });

  afterAll(async () => {
    await opened?.close();
  });

  test("every cell succeeds", () => {
    const failed = results.cells.filter((cell) => cell.status !== "ok");
    expect(failed).toEqual([]);
  });

  test("run finishes all epochs", () => {
    expect(results.summary?.status).toBe("done");
    expect(results.summary!.epochs).toEqual([0, 1, 2]);
  });

  test("summary lists the model's layers", async () => {
    const text = await opened.page.textContent("[data-view=model-summary]");
    expect(text).toContain("digits_bn: 11 layers");
    expect(text).toContain("BatchNormalization");
    expect(text).toContain("Dropout");
    const probed = await opened.page.textContent("[data-view=model-summary] tr[data-layer=features]");
    expect(probed).toContain("probed");
  });

  test("domain view states the preparation", async () => {
    const text = await opened.page.textContent("[data-view=domain]");
    expect(text).toContain("digit-folder: 124 images of 28 × 28 × 1, 11 classes");
    expect(text).toContain("resized to 28 × 28 (stretched); converted to grey (BT.601 luma); inverted (255 - value)");
  });

  test("unmatched class is listed", async () => {
    const text = await opened.page.textContent("[data-view=class-mapping] [data-unmatched=target]");
    expect(text).toContain("Only in digit-folder (target), so its images are left out: other.");
  });

  test("views draw", async () => {
    expect(await opened.page.locator("section.cell svg").count()).toBeGreaterThan(0);
    expect(await nonBackgroundPixels(opened.page, "[data-view=projection] canvas[role=img]")).toBeGreaterThan(100);
    const table = await opened.page.textContent("[data-view=class-table]");
    expect(table).toBeTruthy();
  });

  test("every layer of the model is probed", async () => {
    const text = await opened.page.locator("section.cell", { hasText: "probed layers:" }).last().textContent();
    // probeLayerNames reads them from the loaded model, leaving out the input, dropout and output layers.
    expect(text).toContain("probed layers: conv_a, bn_a, relu_a, conv_b, bn_b, relu_b, pool, features · 3 epochs");
  });

  // The probe has 20 images per domain.
  levelViewTests(() => opened.page, { biplotPoints: 40, projectionLayer: "features" });

  test("flips list both directions", async () => {
    const sections = await opened.page.$$eval("[data-view=flips] [data-flips]", (nodes) => nodes.map((node) => node.getAttribute("data-flips")));
    expect(sections).toEqual(["correct-to-wrong", "wrong-to-correct"]);
    const headings = await opened.page.$$eval("[data-view=flips] [data-flips] p", (nodes) => nodes.map((node) => node.textContent));
    for (const heading of headings) expect(heading).toMatch(/ from epoch 0 to 2: \d+ images\.$/);
  });

  test("projection selection outlines the top images", async () => {
    const page = opened.page;
    const row = Number(await page.getAttribute("[data-view=top-images] figure", "data-row"));
    await page.evaluate((rows) => (document.querySelector("[data-view=projection]") as HTMLElement & { select(indices: number[]): void }).select(rows), [row]);
    await page.waitForFunction(() => document.querySelectorAll("[data-view=top-images] figure[data-selected]").length === 1, null, { timeout: 60_000 });
  });

  test("run leaks no tensors", async () => {
    // After the run and every analysis, only the loaded model's 16 weight tensors stay: 2 convolutions, 2 batch normalisations (4 each), 2 dense layers.
    expect(await opened.page.evaluate(() => window.carryover!.tensorCount())).toBe(16);
  });

  test("canvas view shows every cell and recomputes nothing", async () => {
    const page = opened.page;
    const runCounts = () => page.evaluate(() => Object.fromEntries(window.carryover!.page()!.cellStates().map((state) => [state.id, state.runCount])));
    const before = await runCounts();
    const cellIds = Object.keys(before);
    await page.evaluate(() => window.carryover!.page()!.setView("canvas"));
    await page.waitForSelector(".canvas-view .canvas-node");
    const nodes = await page.$$eval(".canvas-node", (elements) => elements.map((element) => (element as HTMLElement).dataset.cellId));
    expect(nodes).toEqual(cellIds);
    expect(await page.$$eval(".canvas-connector", (groups) => groups.length)).toBeGreaterThan(cellIds.length / 2);
    expect(await nonBackgroundPixels(page, ".canvas-node [data-view=projection] canvas[role=img]")).toBeGreaterThan(100);
    await page.evaluate(() => window.carryover!.page()!.setView("document"));
    expect(await page.$$eval(".canvas-node", (elements) => elements.length)).toBe(0);
    expect(await page.locator("section.cell").count()).toBe(cellIds.length);
    expect(await runCounts()).toEqual(before);
  });

  test("clicked freeze retrains with it", async () => {
    const page = opened.page;
    await page.check("[data-view=layer-chooser] input[aria-label='freeze conv_a']");
    await page.click("[data-view=layer-chooser] button");
    await page.waitForFunction(() => {
      const state = window.carryover!.page()!.cellStates().find((cell) => cell.values.has("run"));
      const run = state?.values.get("run") as { status: string; params: { frozenLayers: string[] } } | undefined;
      return run?.status === "done" && run.params.frozenLayers.includes("conv_a");
    }, null, { timeout: 300_000, polling: 500 });
    const kernels = await page.evaluate(() => {
      const state = window.carryover!.page()!.cellStates().find((cell) => cell.values.has("run"))!;
      const run = state.values.get("run") as RunState;
      const kernel = (epoch: number, name: string) => Array.from(run.snapshots[epoch]!.weights.find((weight) => weight.name === name)!.values.slice(0, 8));
      return { frozenBefore: kernel(0, "conv_a/kernel"), frozenAfter: kernel(2, "conv_a/kernel"), trainedBefore: kernel(0, "conv_b/kernel"), trainedAfter: kernel(2, "conv_b/kernel") };
    });
    expect(kernels.frozenAfter).toEqual(kernels.frozenBefore);
    expect(kernels.trainedAfter).not.toEqual(kernels.trainedBefore);
  });

  test("clicked cut attaches a head", async () => {
    const page = opened.page;
    await page.check("[data-view=layer-chooser] input[aria-label='cut after features']");
    await page.click("[data-view=layer-chooser] button");
    await page.waitForFunction(() => document.querySelector("[data-view=model-summary]")?.textContent?.includes("cut here"), null, { timeout: 120_000 });
    const summary = await page.textContent("[data-view=model-summary]");
    expect(summary).toContain("digits_bn_head10");
    expect(await page.textContent("[data-view=model-summary] tr[data-layer=head]")).toContain("Dense");
  });
});
