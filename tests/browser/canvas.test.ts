import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cellLayout, compileCell, parseNotebook, type NotebookCell } from "../../src/runtime/index.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { runNotebookText, tinyParams } from "./notebook.ts";

/** The test works on a copy, because moving a node rewrites the notebook file through the dev server. */
const folder = `notebooks/.canvas-test-${process.env.CARRYOVER_TEST_PORT ?? 4317}`;
const path = `${folder}/digits.md`;
/** WebGL trains the tiny run faster than WebGPU on SwiftShader; the canvas does not depend on the backend. */
const params = { ...tinyParams, backends: '["webgl"]' };

function notebookCells(text: string): NotebookCell[] {
  return parseNotebook(text, path).blocks.filter((block): block is NotebookCell => block.kind === "cell");
}

/** Returns the id of the first cell whose source contains `text`, so the tests do not depend on cell positions. */
function cellWith(text: string, source: string): string {
  const cell = notebookCells(source).find((candidate) => candidate.source.includes(text));
  if (!cell) throw new Error(`no cell of digits.md contains ${JSON.stringify(text)}`);
  return cell.id;
}

/** Connectors the canvas should draw, found independently of the page: every name a cell reads from another cell's declarations. */
function expectedConnectors(text: string): string[] {
  const compiled = notebookCells(text).map((cell) => {
    const result = compileCell(cell.source, cell.id);
    if (result instanceof Error) throw result;
    return { id: cell.id, inputs: result.inputs, outputs: result.outputs };
  });
  const pairs = new Set<string>();
  for (const reader of compiled) {
    for (const name of reader.inputs) {
      for (const writer of compiled) if (writer.id !== reader.id && writer.outputs.includes(name)) pairs.add(`${writer.id}->${reader.id}`);
    }
  }
  return [...pairs].sort();
}

const runCounts = (opened: OpenedPage) =>
  opened.page.evaluate(() => Object.fromEntries(window.carryover!.page()!.cellStates().map((state) => [state.id, state.runCount])));

describe("canvas view of the digits case study", () => {
  let opened: OpenedPage;
  let original: string;
  /** Ids of the cells the tests look at, by what they contain. */
  let ids: Record<"params" | "sourceModel" | "training" | "run" | "curves" | "status" | "projection", string>;

  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    copyFileSync("notebooks/digits.md", path);
    original = readFileSync(path, "utf8");
    ids = {
      params: cellWith("const params =", original),
      sourceModel: cellWith("const sourceModel =", original),
      training: cellWith("const training =", original),
      run: cellWith("const run =", original),
      curves: cellWith("curvesView(", original),
      status: cellWith("runStatusView(run)", original),
      projection: cellWith("const projection =", original),
    };
    opened = await openPage("/?headless&cache=off");
    const results = await runNotebookText(opened.page, original, path, params);
    expect(results.cells.filter((cell) => cell.status !== "ok"), opened.console.join("\n")).toEqual([]);
    await opened.page.click("button[data-view-name=canvas]");
    await opened.page.waitForSelector(".canvas-view .canvas-node");
    // The switch saved the canvas view into the file's front matter; later diffs start from there.
    await opened.page.evaluate(() => window.carryover!.page()!.flush());
    original = readFileSync(path, "utf8");
    expect(original).toBe(`---\nview: canvas\n---\n${readFileSync("notebooks/digits.md", "utf8")}`);
  });

  afterAll(async () => {
    await opened?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("draws a node per cell", async () => {
    const cells = notebookCells(original).map((cell) => cell.id);
    const nodes = await opened.page.$$eval(".canvas-node", (elements) => elements.map((element) => (element as HTMLElement).dataset.cellId));
    expect(nodes).toEqual(cells);
    // Each node holds its cell's own output element.
    const withOutput = await opened.page.$$eval(".canvas-node > .canvas-node-body > section.cell", (elements) => elements.length);
    expect(withOutput).toBe(cells.length);
  });

  test("draws the dependency graph's connectors", async () => {
    const drawn = await opened.page.$$eval(".canvas-connector", (groups) => groups.map((group) => `${(group as SVGGElement).dataset.from}->${(group as SVGGElement).dataset.to}`));
    expect(drawn.length).toBe(new Set(drawn).size);
    expect([...drawn].sort()).toEqual(expectedConnectors(original));
    expect(drawn.length).toBeGreaterThan(20);
  });

  test("labels connectors with the names", async () => {
    const labels = await opened.page.$$eval(".canvas-connector", (groups) => groups.map((group) => group.querySelector("text")!.textContent));
    expect(labels).toContain("run");
    expect(labels).toContain("params");
    const fromRun = await opened.page.$$eval(`.canvas-connector[data-from=${ids.run}] text`, (texts) => texts.map((text) => text.textContent));
    expect(fromRun.length).toBeGreaterThan(3);
    expect(fromRun.every((label) => label!.split(", ").includes("run"))).toBe(true);
  });

  test("places nodes from the file's layout", async () => {
    const layout = cellLayout(notebookCells(original).find((cell) => cell.id === ids.curves)!.options, ids.curves)!;
    const style = await opened.page.$eval(`.canvas-node[data-cell-id=${ids.curves}]`, (node) => [(node as HTMLElement).style.left, (node as HTMLElement).style.top, (node as HTMLElement).style.width]);
    expect(style).toEqual([`${layout.x}px`, `${layout.y}px`, `${layout.width}px`]);
  });

  test("switching views recomputes nothing", async () => {
    const page = opened.page;
    const before = await runCounts(opened);
    const scatter = await page.evaluateHandle(() => document.querySelector("[data-view=projection] canvas[data-role=scatter]"));
    await page.click("button[data-view-name=document]");
    expect(await page.$$eval(".canvas-node", (nodes) => nodes.length)).toBe(0);
    expect(await page.$$eval("main > section.cell", (cells) => cells.length)).toBeGreaterThan(10);
    await page.click("button[data-view-name=canvas]");
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await runCounts(opened)).toEqual(before);
    // The very same chart element moved back into its node, so nothing was drawn anew.
    expect(await scatter.evaluate((element) => element !== null && element.closest(".canvas-node") !== null && element === document.querySelector("[data-view=projection] canvas[data-role=scatter]"))).toBe(true);
  });

  test("selecting a node highlights inputs and dependents", async () => {
    const page = opened.page;
    await page.evaluate((id) => window.carryover!.page()!.canvas!.view.jumpTo(id), ids.run);
    await page.waitForFunction((id) => document.querySelector(`.canvas-node[data-cell-id=${id}]`)?.getAttribute("data-related") === "selected", ids.run);
    const related = await page.$$eval(".canvas-node[data-related]", (nodes) => Object.fromEntries(nodes.map((node) => [(node as HTMLElement).dataset.cellId, (node as HTMLElement).dataset.related])));
    expect(related[ids.training]).toBe("input");
    expect(related[ids.curves]).toBe("dependent");
    expect(related[ids.projection]).toBe("dependent");
    expect(related[ids.params]).toBeUndefined();
  });

  test("following a connector jumps to its other end", async () => {
    const page = opened.page;
    await page.evaluate((id) => window.carryover!.page()!.canvas!.view.jumpTo(id), ids.run);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.locator(`.canvas-connector[data-from=${ids.run}][data-to=${ids.curves}] .canvas-connector-hit`).dispatchEvent("pointerdown", { button: 0 });
    expect(await page.evaluate(() => window.carryover!.page()!.canvas!.view.selection)).toBe(ids.curves);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const box = await page.locator(`.canvas-node[data-cell-id=${ids.curves}]`).boundingBox();
    const view = await page.locator(".canvas-view").boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(view!.x);
    expect(box!.x + box!.width).toBeLessThanOrEqual(view!.x + view!.width + 1);
  });

  test("search jumps to a cell by name", async () => {
    const page = opened.page;
    await page.focus(".canvas-view");
    await page.keyboard.press("/");
    await page.keyboard.type("sourceModel");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => window.carryover!.page()!.canvas!.view.selection)).toBe(ids.sourceModel);
  });

  test("keys fit and zoom after a click", async () => {
    const page = opened.page;
    // Start with focus outside the canvas: the click on the node must bring it back.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.click(`.canvas-node[data-cell-id=${ids.params}] .canvas-node-title`);
    await page.keyboard.press("z");
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const view = (await page.locator(".canvas-view").boundingBox())!;
    const node = (await page.locator(`.canvas-node[data-cell-id=${ids.params}]`).boundingBox())!;
    expect(Math.abs(node.x + node.width / 2 - (view.x + view.width / 2))).toBeLessThan(2);
    expect(Math.abs(node.y + node.height / 2 - (view.y + view.height / 2))).toBeLessThan(2);

    await page.keyboard.press("f");
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const boxes = await page.$$eval(".canvas-node", (nodes) => nodes.map((element) => element.getBoundingClientRect().toJSON() as DOMRect));
    for (const box of boxes) {
      expect(box.left).toBeGreaterThanOrEqual(view.x);
      expect(box.right).toBeLessThanOrEqual(view.x + view.width);
      expect(box.top).toBeGreaterThanOrEqual(view.y);
      expect(box.bottom).toBeLessThanOrEqual(view.y + view.height);
    }
  });

  test("moving a node rewrites only its layout line", async () => {
    const page = opened.page;
    await page.evaluate((id) => {
      const view = window.carryover!.page()!.canvas!.view;
      view.jumpTo(id);
      view.applyNow();
    }, ids.status);
    const scale = await page.evaluate(() => window.carryover!.page()!.canvas!.view.view.scale);
    const header = (await page.locator(`.canvas-node[data-cell-id=${ids.status}] .canvas-node-header`).boundingBox())!;
    // Drag by 120 × 60 world pixels, in two moves of the mouse.
    const grabX = header.x + 20;
    const grabY = header.y + header.height / 2;
    await page.mouse.move(grabX, grabY);
    await page.mouse.down();
    await page.mouse.move(grabX + 60 * scale, grabY + 30 * scale, { steps: 5 });
    await page.mouse.move(grabX + 120 * scale, grabY + 60 * scale, { steps: 5 });
    await page.mouse.up();
    await page.evaluate(() => window.carryover!.page()!.flush());
    expect(await page.evaluate(() => window.carryover!.page()!.canvas!.saveError)).toBeNull();
    expect(await page.evaluate(() => window.carryover!.page()!.canvas!.savedCount)).toBe(1);

    const before = original.split("\n");
    const after = readFileSync(path, "utf8").split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [{ before: before[i], after: line }]));
    const cell = notebookCells(original).find((candidate) => candidate.id === ids.status)!;
    const fence = before[cell.line - 2];
    const { x, y, width, height } = cellLayout(cell.options, cell.id)!;
    expect(changed).toEqual([{ before: fence, after: fence.replace(/canvas=\S+/, `canvas=${x + 120},${y + 60},${width},${height}`) }]);
  });

  test("reloading keeps the moved node's place", async () => {
    const page = opened.page;
    await page.reload();
    await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
    // Opening defines the cells and draws the canvas at once; the test does not wait for training.
    await page.evaluate(([text, file, values]) => window.carryover!.open(text, file, values), [readFileSync(path, "utf8"), path, params] as const);
    await page.evaluate(() => window.carryover!.page()!.setView("canvas"));
    const { x, y } = cellLayout(notebookCells(original).find((cell) => cell.id === ids.status)!.options, ids.status)!;
    const style = await page.$eval(`.canvas-node[data-cell-id=${ids.status}]`, (node) => [(node as HTMLElement).style.left, (node as HTMLElement).style.top]);
    expect(style).toEqual([`${x + 120}px`, `${y + 60}px`]);
  });

  test("a failed cell shows on its node", async () => {
    const page = opened.page;
    const text = [
      "```js id=base",
      "const base = 2;",
      "```",
      "",
      "```js id=broken",
      "const doubled = base * 2;",
      'if (doubled > 1) throw new Error("broken on purpose");',
      "```",
      "",
      "```js id=reader",
      "const tripled = doubled * 3;",
      "```",
      "",
    ].join("\n");
    await page.evaluate(() => window.carryover!.page()!.dispose());
    await runNotebookText(page, text, "failing.md");
    await page.evaluate(() => window.carryover!.page()!.setView("canvas"));
    await page.waitForFunction(() => document.querySelector(".canvas-node[data-cell-id=broken]")?.getAttribute("data-state") === "failed");
    expect(await page.textContent(".canvas-node[data-cell-id=broken] .cell-error")).toContain("broken on purpose");
    expect(await page.getAttribute(".canvas-node[data-cell-id=reader]", "data-state")).toBe("failed");
    expect(await page.getAttribute(".canvas-node[data-cell-id=base]", "data-state")).toBe("done");
    expect(await page.getAttribute(".canvas-connector[data-from=broken]", "data-state")).toBe("failed");
    // Without a stored layout, each reader sits to the right of what it reads.
    const lefts = await page.$$eval(".canvas-node", (nodes) => nodes.map((node) => Number.parseFloat((node as HTMLElement).style.left)));
    expect(lefts[0]).toBeLessThan(lefts[1]);
    expect(lefts[1]).toBeLessThan(lefts[2]);
  });

  test("invalid layout is reported and replaced", async () => {
    const page = opened.page;
    const text = ["```js id=first canvas=oops", "const first = 1;", "```", "", "```js id=second", "const second = first + 1;", "```", ""].join("\n");
    await page.evaluate(() => window.carryover!.page()!.dispose());
    const results = await runNotebookText(page, text, "bad-layout.md");
    expect(results.cells.map((cell) => cell.status)).toEqual(["ok", "ok"]);
    await page.evaluate(() => window.carryover!.page()!.setView("canvas"));
    expect(await page.textContent(".canvas-notices")).toContain('bad-layout.md line 1: invalid canvas layout of cell first: "oops"');
    const lefts = await page.$$eval(".canvas-node", (nodes) => nodes.map((node) => Number.parseFloat((node as HTMLElement).style.left)));
    expect(lefts[0]).toBeLessThan(lefts[1]);
  });
});
