import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import type { RunState } from "../../src/cells/training/types.ts";
import { openPage, type OpenedPage } from "./harness.ts";
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

  test("analyses use webgpu kernels", async () => {
    const notices = await opened.page.$$eval("[data-kernels]", (lines) => lines.map((line) => [line.getAttribute("data-kernels"), line.getAttribute("data-live-buffers")]));
    expect(notices.length).toBe(2);
    for (const [kind] of notices) expect(kind).toBe("webgpu");
    expect(notices.at(-1)![1]).toBe("0");
  });

  test("every layer of the model is probed", async () => {
    const text = await opened.page.locator("section.cell", { hasText: "probed layers:" }).last().textContent();
    // probeLayerNames reads them from the loaded model, leaving out the input, dropout and output layers.
    expect(text).toContain("probed layers: conv_a, bn_a, relu_a, conv_b, bn_b, relu_b, pool, features · 3 epochs");
  });

  test("ranking draws mirrored histograms", async () => {
    const page = opened.page;
    expect(await page.$$eval("[data-view=neuron-ranking] tbody tr", (rows) => rows.length)).toBe(8);
    const heights = await page.$$eval("[data-view=neuron-ranking] rect", (rects) => rects.map((rect) => [rect.getAttribute("data-domain"), Number(rect.getAttribute("height"))] as const));
    expect(heights.filter(([domain, height]) => domain === "source" && height > 0).length).toBeGreaterThan(8);
    expect(heights.filter(([domain, height]) => domain === "target" && height > 0).length).toBeGreaterThan(8);
  });

  test("biplot draws every probe image", async () => {
    const circles = await opened.page.$$eval("[data-view=domain-biplot] circle", (nodes) => nodes.filter((node) => Number.isFinite(Number(node.getAttribute("cx")))).length);
    expect(circles).toBeGreaterThanOrEqual(40);
  });

  test("correlation matrix draws finite cells", async () => {
    const page = opened.page;
    expect(await page.$$eval("[data-view=correlation]", (nodes) => nodes.length)).toBeGreaterThanOrEqual(3);
    const fills = await page.$$eval("[data-view=correlation] [data-role=matrix] rect[fill]", (rects) => rects.map((rect) => rect.getAttribute("fill")));
    expect(fills.length).toBeGreaterThan(20);
    expect(new Set(fills).size).toBeGreaterThan(3);
  });

  test("weight grids draw finite cells", async () => {
    const page = opened.page;
    expect(await page.$$eval("[data-view=weight-grid]", (nodes) => nodes.length)).toBeGreaterThanOrEqual(2);
    const fills = await page.$$eval("[data-view=weight-grid] [data-role=grid] rect[fill]", (rects) => rects.map((rect) => rect.getAttribute("fill")));
    expect(fills.length).toBeGreaterThan(20);
    expect(new Set(fills).size).toBeGreaterThan(3);
    const bars = await page.$$eval("[data-view=weight-grid] [data-role=histogram] rect", (rects) => rects.filter((rect) => Number(rect.getAttribute("height")) > 0).length);
    expect(bars).toBeGreaterThan(4);
  });

  test("layers over epochs draw three charts", async () => {
    for (const measure of ["proxyADistance", "cka", "weightChange"]) {
      const paths = await opened.page.$$eval(`[data-view=layers-over-epochs] [data-measure=${measure}] path`, (nodes) => nodes.filter((node) => /^M[\d.-]/.test(node.getAttribute("d") ?? "")).length);
      expect(paths, measure).toBeGreaterThanOrEqual(3);
    }
  });

  test("layer fates name every probed layer", async () => {
    const fates = await opened.page.$$eval("[data-view=layer-fates] [data-fate]", (chips) => chips.map((chip) => chip.getAttribute("data-fate")));
    expect(fates.length).toBeGreaterThanOrEqual(4);
    for (const fate of fates) expect(["frozen", "barely moved", "rewritten"]).toContain(fate);
  });

  test("flips list both directions", async () => {
    const sections = await opened.page.$$eval("[data-view=flips] [data-flips]", (nodes) => nodes.map((node) => node.getAttribute("data-flips")));
    expect(sections).toEqual(["correct-to-wrong", "wrong-to-correct"]);
    const headings = await opened.page.$$eval("[data-view=flips] [data-flips] p", (nodes) => nodes.map((node) => node.textContent));
    for (const heading of headings) expect(heading).toMatch(/ from epoch 0 to 2: \d+ images\.$/);
  });

  test("selected neuron drives linked views", async () => {
    const page = opened.page;
    expect(await page.$$eval("[data-view=top-images] canvas", (canvases) => canvases.length)).toBe(12);
    expect(await nonBackgroundPixels(page, "[data-view=top-images] canvas")).toBeGreaterThan(20);
    const second = await page.getAttribute("[data-view=neuron-ranking] tbody tr:nth-child(2)", "data-neuron");
    await page.click("[data-view=neuron-ranking] tbody tr:nth-child(2)");
    await page.waitForFunction((neuron) => document.querySelector("[data-view=top-images]")?.getAttribute("data-neuron") === neuron, second, { timeout: 60_000 });
    await page.waitForFunction((neuron) => document.querySelector(`[data-view=correlation] tr[aria-selected][data-neuron="${neuron}"]`) !== null, second, { timeout: 60_000 });
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
