import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { nonBackgroundPixels } from "./notebook.ts";

/** Checks that both kernel notices name WebGPU and that the last one counts no live GPU buffers. */
export async function expectWebgpuKernels(page: Page): Promise<void> {
  const notices = await page.$$eval("[data-kernels]", (lines) => lines.map((line) => [line.getAttribute("data-kernels"), line.getAttribute("data-live-buffers")]));
  expect(notices.length).toBe(2);
  for (const [kind] of notices) expect(kind).toBe("webgpu");
  expect(notices.at(-1)![1]).toBe("0");
}

/** Checks that the projection of `layer` states it ran on WebGPU and draws points. */
export async function expectWebgpuProjection(page: Page, layer: string): Promise<void> {
  expect(await page.getAttribute("[data-projection-computed-on]", "data-projection-computed-on")).toBe("webgpu");
  expect(await page.getAttribute("[data-projection-computed-on]", "data-projection-layer")).toBe(layer);
  expect(await nonBackgroundPixels(page, "[data-view=projection] canvas[data-role=scatter]")).toBeGreaterThan(100);
}

/** Checks that the neuron ranking lists 8 neurons with nonzero histogram bars for both domains. */
export async function expectRankingHistograms(page: Page): Promise<void> {
  expect(await page.$$eval("[data-view=neuron-ranking] tbody tr", (rows) => rows.length)).toBe(8);
  const heights = await page.$$eval("[data-view=neuron-ranking] rect", (rects) => rects.map((rect) => [rect.getAttribute("data-domain"), Number(rect.getAttribute("height"))] as const));
  expect(heights.filter(([domain, height]) => domain === "source" && height > 0).length).toBeGreaterThan(8);
  expect(heights.filter(([domain, height]) => domain === "target" && height > 0).length).toBeGreaterThan(8);
}

/** Checks that the biplot draws at least `minimum` points at finite positions. */
export async function expectBiplotPoints(page: Page, minimum: number): Promise<void> {
  const circles = await page.$$eval("[data-view=domain-biplot] circle", (nodes) => nodes.filter((node) => Number.isFinite(Number(node.getAttribute("cx")))).length);
  expect(circles).toBeGreaterThanOrEqual(minimum);
}

/** Checks the 12 top-activating images, then that clicking the second ranked neuron updates them and the correlation outline. */
export async function expectNeuronSelectionLinks(page: Page): Promise<void> {
  expect(await page.$$eval("[data-view=top-images] canvas", (canvases) => canvases.length)).toBe(12);
  expect(await nonBackgroundPixels(page, "[data-view=top-images] canvas")).toBeGreaterThan(20);
  const second = await page.getAttribute("[data-view=neuron-ranking] tbody tr:nth-child(2)", "data-neuron");
  await page.click("[data-view=neuron-ranking] tbody tr:nth-child(2)");
  await page.waitForFunction((neuron) => document.querySelector("[data-view=top-images]")?.getAttribute("data-neuron") === neuron, second, { timeout: 60_000 });
  await page.waitForFunction((neuron) => document.querySelector(`[data-view=correlation] tr[aria-selected][data-neuron="${neuron}"]`) !== null, second, { timeout: 60_000 });
}

/** Checks that at least 3 correlation matrices draw more than 20 cells in more than 3 colours. */
export async function expectCorrelationCells(page: Page): Promise<void> {
  expect(await page.$$eval("[data-view=correlation]", (nodes) => nodes.length)).toBeGreaterThanOrEqual(3);
  const fills = await page.$$eval("[data-view=correlation] [data-role=matrix] rect[fill]", (rects) => rects.map((rect) => rect.getAttribute("fill")));
  expect(fills.length).toBeGreaterThan(20);
  expect(new Set(fills).size).toBeGreaterThan(3);
}

/** Counts the bars of positive height in each element matching `selector`. */
function barsPerElement(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (nodes) => nodes.map((node) => Array.from(node.querySelectorAll("rect")).filter((rect) => Number(rect.getAttribute("height")) > 0).length));
}

/**
 * Checks that every correlation view summarises its other neurons, either as two histograms
 * with bars (the best-|r| one marking the match threshold) or as the text for a layer with
 * no other neurons, and that at least 2 layers draw the histograms.
 */
export async function expectCorrelationRest(page: Page): Promise<void> {
  const views = await page.$$eval("[data-view=correlation]", (nodes) => nodes.map((node) => ({
    histograms: node.querySelectorAll("[data-role=rest-correlations]").length,
    empty: node.querySelectorAll("[data-role=rest-empty]").length,
  })));
  for (const view of views) expect(view.histograms + view.empty).toBe(1);
  expect(views.filter((view) => view.histograms === 1).length).toBeGreaterThanOrEqual(2);
  // A layer that barely moved can put every best |r| in the top bin, so one bar is enough here.
  for (const bars of await barsPerElement(page, "[data-view=correlation] svg[data-role=rest-best]")) expect(bars).toBeGreaterThan(0);
  for (const bars of await barsPerElement(page, "[data-view=correlation] [data-role=rest-correlations]")) expect(bars).toBeGreaterThan(2);
  const thresholds = await page.$$eval("[data-view=correlation] svg[data-role=rest-best]", (nodes) => nodes.map((node) => node.querySelectorAll('line[aria-label="match threshold"]').length === 1));
  expect(thresholds.length).toBeGreaterThanOrEqual(2);
  for (const marked of thresholds) expect(marked).toBe(true);
}

/** Checks that at least 2 grids of `model` draw more than 20 cells in more than 3 colours, with the weights outside them as histogram bars. */
async function expectModelGrids(page: Page, model: "target" | "source"): Promise<void> {
  const view = `[data-view=weight-grid][data-model=${model}]`;
  expect(await page.$$eval(view, (nodes) => nodes.length)).toBeGreaterThanOrEqual(2);
  const fills = await page.$$eval(`${view} [data-role=grid] rect[fill]`, (rects) => rects.map((rect) => rect.getAttribute("fill")));
  expect(fills.length).toBeGreaterThan(20);
  expect(new Set(fills).size).toBeGreaterThan(3);
  const histograms = await barsPerElement(page, `${view} [data-role=histogram]`);
  expect(histograms.length).toBeGreaterThanOrEqual(2);
  for (const bars of histograms) expect(bars).toBeGreaterThan(2);
  expect(histograms.reduce((sum, bars) => sum + bars, 0)).toBeGreaterThan(8);
  expect(await page.$$eval(`${view} [data-role=box]`, (nodes) => nodes.length)).toBe(histograms.length);
  // Each caption counts the grid's weights, rows × columns, and the rest. A grid without a rest has a line of text in place of the plots.
  const captions = await page.$$eval(view, (nodes) => nodes.map((node) => [node.querySelector("p")?.textContent ?? "", node.querySelectorAll("[data-role=histogram]").length] as const));
  for (const [caption, plotted] of captions) {
    const counts = /: (\d+) weights in the grid \((\d+) × (\d+) important neurons\), (\d+) in the rest\./.exec(caption);
    expect(counts, caption).not.toBeNull();
    expect(Number(counts![1])).toBe(Number(counts![2]) * Number(counts![3]));
    expect(Number(counts![4]) > 0).toBe(plotted === 1);
  }
}

/** Checks the target model's weight grids. */
export function expectWeightGridCells(page: Page): Promise<void> {
  return expectModelGrids(page, "target");
}

/** Checks the source model's weight grids, drawn beside the target model's over the same neurons. */
export async function expectSourceWeightGrids(page: Page): Promise<void> {
  await expectModelGrids(page, "source");
  const pairs = await page.$$eval("[data-view=weight-grid-pair]", (nodes) => nodes.map((node) => {
    const rows = (model: string) => Array.from(node.querySelectorAll(`[data-model=${model}] [data-role=grid] rect[fill]`)).length;
    return { target: rows("target"), source: rows("source") };
  }));
  const shared = pairs.filter((pair) => pair.target > 0 && pair.source > 0);
  expect(shared.length).toBeGreaterThanOrEqual(2);
  for (const pair of shared) expect(pair.source).toBe(pair.target);
}

/** Checks that each of the three measures over the epochs draws a line for at least 3 layers. */
export async function expectLayersOverEpochsLines(page: Page): Promise<void> {
  for (const measure of ["proxyADistance", "cka", "weightChange"]) {
    const paths = await page.$$eval(`[data-view=layers-over-epochs] [data-measure=${measure}] path`, (nodes) => nodes.filter((node) => /^M[\d.-]/.test(node.getAttribute("d") ?? "")).length);
    expect(paths, measure).toBeGreaterThanOrEqual(3);
  }
}

/** Checks that at least 4 layers get one of the three fates. */
export async function expectLayerFates(page: Page): Promise<void> {
  const fates = await page.$$eval("[data-view=layer-fates] [data-fate]", (chips) => chips.map((chip) => chip.getAttribute("data-fate")));
  expect(fates.length).toBeGreaterThanOrEqual(4);
  for (const fate of fates) expect(["frozen", "barely moved", "rewritten"]).toContain(fate);
}

/**
 * Registers the tests of the feature-level and model-structure-level views, in an order where
 * the neuron click comes after the ranking and top-image checks. `page` is read when each test runs.
 */
export function levelViewTests(page: () => Page, options: { biplotPoints: number; projectionLayer: string }): void {
  test("analyses run on webgpu kernels", () => expectWebgpuKernels(page()));
  test("projection runs on webgpu and draws", () => expectWebgpuProjection(page(), options.projectionLayer));
  test("ranking draws mirrored histograms", () => expectRankingHistograms(page()));
  test("biplot draws every probe image", () => expectBiplotPoints(page(), options.biplotPoints));
  test("top images follow the selected neuron", () => expectNeuronSelectionLinks(page()));
  test("correlation matrix draws finite cells", () => expectCorrelationCells(page()));
  test("correlation rest draws histograms", () => expectCorrelationRest(page()));
  test("weight grids draw finite cells", () => expectWeightGridCells(page()));
  test("source weight grids draw beside", () => expectSourceWeightGrids(page()));
  test("layers over epochs draw three charts", () => expectLayersOverEpochsLines(page()));
  test("layer fates name every layer", () => expectLayerFates(page()));
}
