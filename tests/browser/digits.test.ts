import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { nonBackgroundPixels, readNotebook, runNotebookText, tinyParams } from "./notebook.ts";

describe("digits case study, tiny run on WebGPU", () => {
  let opened: OpenedPage;
  let results: HeadlessResults;
  let tensorsBefore: number;

  beforeAll(async () => {
    opened = await openPage("/?headless");
    await opened.page.waitForFunction(() => "carryover" in window);
    tensorsBefore = await opened.page.evaluate(() => window.carryover!.tensorCount());
    results = await runNotebookText(opened.page, readNotebook("notebooks/digits.md"), "digits.md", tinyParams);
  });

  afterAll(async () => {
    await opened?.close();
  });

  test("every cell succeeds", () => {
    const failed = results.cells.filter((cell) => cell.status !== "ok");
    expect(failed, opened.console.join("\n")).toEqual([]);
    expect(results.cells.length).toBeGreaterThanOrEqual(15);
  });

  test("runs on webgpu", () => {
    expect(results.summary?.backend).toBe("webgpu");
  });

  test("target validation accuracy rises above epoch 0", () => {
    const targetVal = results.summary!.accuracy.targetModel.targetVal;
    expect(targetVal).toHaveLength(3);
    expect(targetVal.at(-1)!).toBeGreaterThan(targetVal[0]!);
  });

  test("six series recorded per epoch", () => {
    const { sourceModel, targetModel } = results.summary!.accuracy;
    for (const series of [sourceModel.sourceTrain, sourceModel.sourceVal, sourceModel.target, targetModel.targetTrain, targetModel.targetVal, targetModel.source]) {
      expect(series).toHaveLength(3);
      for (const value of series) expect(value).toBeGreaterThan(0.1);
    }
  });

  test("accuracy chart draws six lines", async () => {
    const lines = await opened.page.$$eval("[data-view=curves-accuracy] path[stroke]", (paths) => paths.filter((p) => (p.getAttribute("d") ?? "").length > 0).length);
    expect(lines).toBeGreaterThanOrEqual(6);
  });

  test("class table lists ten classes", async () => {
    const rows = await opened.page.$$eval("[data-view=class-table] tbody tr", (trs) => trs.length);
    expect(rows).toBe(10);
  });

  test("class table sorts by difference", async () => {
    const page = opened.page;
    await page.click("[data-view=class-table] th:nth-child(4)");
    const differences = await page.$$eval("[data-view=class-table] tbody tr td:nth-child(4)", (tds) => tds.map((td) => Number.parseFloat(td.textContent ?? "")));
    const sorted = [...differences].sort((a, b) => b - a);
    expect(differences).toEqual(sorted);
  });

  test("class table reverses on a second click", async () => {
    const page = opened.page;
    const classes = () => page.$$eval("[data-view=class-table] tbody tr td:nth-child(1)", (tds) => tds.map((td) => td.textContent));
    await page.click("[data-view=class-table] th:nth-child(1)");
    expect(await classes()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    await page.click("[data-view=class-table] th:nth-child(1)");
    expect(await classes()).toEqual(["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);
    expect(await page.getAttribute("[data-view=class-table] th:nth-child(1)", "aria-sort")).toBe("descending");
  });

  test("transferability states the score", async () => {
    const text = await opened.page.textContent("[data-view=transferability]");
    expect(text).toMatch(/Transferability: [+-]\d+\.\d percentage points/);
  });

  test("projection ran on webgpu and its canvas is not blank", async () => {
    expect(await opened.page.getAttribute("[data-projection-computed-on]", "data-projection-computed-on")).toBe("webgpu");
    expect(await nonBackgroundPixels(opened.page, "[data-view=projection] canvas[data-role=scatter]")).toBeGreaterThan(100);
  });

  test("selection summary follows the projection", async () => {
    const page = opened.page;
    expect(await page.textContent("[data-view=selection-summary]")).toContain("Nothing selected");
    await page.evaluate(() => (document.querySelector("[data-view=projection]") as HTMLElement & { select(indices: number[]): void }).select([0, 1, 2]));
    await page.waitForFunction(() => document.querySelector("[data-view=selection-summary] [data-role=summary]")?.textContent?.startsWith("3 selected"), null, { timeout: 30_000 });
    expect(await page.$$eval("[data-view=selection-summary] tbody tr", (rows) => rows.length)).toBe(3);
  });

  test("backend view names webgpu", async () => {
    expect(await opened.page.getAttribute("[data-view=backend]", "data-backend")).toBe("webgpu");
  });

  test("editing a cell re-runs only it and its dependents", async () => {
    const page = opened.page;
    const counts = () => page.evaluate(() => Object.fromEntries(window.carryover!.page()!.cellStates().map((s) => [s.id, s.runCount])));
    const before = await counts();
    const tableCell = await page.evaluateHandle(() => document.querySelector("[data-view=class-table]")!.closest("section.cell")!);
    const id = await tableCell.evaluate((cell) => (cell as HTMLElement).dataset.cellId!);
    // The class table's cell, then every cell that reads a name it defines, directly or not.
    const dependents = await page.evaluate((cellId) => {
      const states = window.carryover!.page()!.cellStates();
      const names = new Set(states.find((state) => state.id === cellId)!.outputs);
      const reached = new Set([cellId]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const state of states) {
          if (reached.has(state.id) || !state.inputs.some((name) => names.has(name))) continue;
          reached.add(state.id);
          for (const name of state.outputs) names.add(name);
          grew = true;
        }
      }
      return [...reached].sort();
    }, id);
    // The table, the cell that reads its chosen class, and the cell that selects that class.
    expect(dependents).toHaveLength(3);
    await tableCell.evaluate((cell) => {
      const editor = cell.querySelector("textarea")!;
      editor.value = editor.value.replace("run.snapshots.at(-1)", "run.snapshots[0]");
      cell.querySelector<HTMLDetailsElement>("details.cell-source")!.open = true;
    });
    await page.click(`section.cell[data-cell-id="${id}"] .cell-source button`);
    await page.waitForFunction(
      ([cellId, previous]) => {
        const state = window.carryover!.page()!.runtime.cellState(cellId);
        return state.runCount > previous && state.status === "fulfilled";
      },
      [id, before[id]!] as const,
    );
    await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: 60_000, polling: 200 });
    const after = await counts();
    const changed = Object.keys(after).filter((key) => after[key] !== before[key]);
    expect(changed.sort()).toEqual(dependents);
  });

  test("tensors return to baseline after dispose", async () => {
    const page = opened.page;
    // While open, only the source model's weights stay alive: 4 layers × (kernel, bias).
    expect(await page.evaluate(() => window.carryover!.tensorCount())).toBe(tensorsBefore + 8);
    await page.evaluate(() => window.carryover!.page()!.dispose());
    await page.waitForFunction((baseline) => window.carryover!.tensorCount() === baseline, tensorsBefore, { timeout: 10_000 }).catch(() => undefined);
    expect(await page.evaluate(() => window.carryover!.tensorCount())).toBe(tensorsBefore);
  });
});
