import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import { chromiumArgs, findChromium } from "../../src/cli/chromium.ts";
import { readNotebook, tinyParams } from "./notebook.ts";

const notebook = readNotebook("notebooks/digits.md");
const oneEpoch = { ...tinyParams, epochs: "1" };

/** A browser profile kept on disk, so IndexedDB survives reloads and new pages, as for a user. */
let context: BrowserContext;
const consoleLines: string[] = [];

async function openNotebook(overrides: Record<string, string>): Promise<Page> {
  const page = await context.newPage();
  page.on("console", (message) => consoleLines.push(message.text()));
  await page.goto(`${inject("baseUrl")}/?headless`);
  await page.waitForFunction(() => "carryover" in window);
  await page.evaluate(([text, values]) => window.carryover!.open(text, "digits.md", values), [notebook, overrides] as const);
  return page;
}

async function settle(page: Page): Promise<HeadlessResults> {
  await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: 300_000, polling: 500 });
  return page.evaluate(() => window.carryover!.results());
}

/** Cache key of the one-epoch run, recorded by an earlier test for the corruption test. */
let oneEpochRunKey: string | undefined;

const runCell = (page: Page) =>
  page.evaluate(() => window.carryover!.page()!.cellStates().find((state) => state.outputs.includes("run"))!.cache);
const projectionCell = (page: Page) =>
  page.evaluate(() => window.carryover!.page()!.cellStates().find((state) => state.outputs.includes("projection"))!.cache);
const projectionComputedOn = (page: Page) => page.getAttribute("[data-projection-computed-on]", "data-projection-computed-on");
const steps = (page: Page) => page.evaluate(() => window.carryover!.trainingSteps());

beforeAll(async () => {
  const profile = await mkdtemp(join(tmpdir(), "carryover-profile-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: findChromium(), args: chromiumArgs, headless: true });
});

afterAll(async () => {
  await context?.close();
});

describe("results persist across a reload", () => {
  let first: HeadlessResults;
  let second: HeadlessResults;
  let trainedFirst: number;
  let trainedSecond: number;
  let outcome: { status: string; reason: string } | null;
  let projectionOutcome: { status: string; reason: string } | null;
  let computedOn: [string | null, string | null];

  beforeAll(async () => {
    const page = await openNotebook(oneEpoch);
    first = await settle(page);
    trainedFirst = await steps(page);
    const computedFirst = await projectionComputedOn(page);
    await page.reload();
    await page.waitForFunction(() => "carryover" in window);
    await page.evaluate(([text, values]) => window.carryover!.open(text, "digits.md", values), [notebook, oneEpoch] as const);
    second = await settle(page);
    trainedSecond = await steps(page);
    outcome = await runCell(page);
    projectionOutcome = await projectionCell(page);
    computedOn = [computedFirst, await projectionComputedOn(page)];
    await page.close();
  });

  test("first visit trains", () => {
    expect(trainedFirst).toBeGreaterThan(0);
  });

  test("reload trains nothing", () => {
    expect(trainedSecond).toBe(0);
  });

  test("reload says the run was restored", () => {
    expect(outcome?.status).toBe("restored");
    expect(outcome?.reason).toContain("same source and inputs");
  });

  test("reload restores the webgpu projection", () => {
    expect(projectionOutcome?.status).toBe("restored");
    expect(computedOn).toEqual(["webgpu", "webgpu"]);
  });

  test("reload shows the same numbers", () => {
    expect(second.summary?.accuracy).toEqual(first.summary?.accuracy);
    expect(second.summary?.transferability).toBe(first.summary?.transferability);
    expect(second.cells.every((cell) => cell.status === "ok")).toBe(true);
  });
});

describe("a parameter switched back is a cache hit", () => {
  let trainedOther: number;
  let trainedBack: number;
  let back: { status: string } | null;

  beforeAll(async () => {
    const other = await openNotebook({ ...oneEpoch, seed: "2" });
    await settle(other);
    trainedOther = await steps(other);
    await other.close();
    const page = await openNotebook(oneEpoch);
    await settle(page);
    trainedBack = await steps(page);
    back = await runCell(page);
    oneEpochRunKey = (back as { key?: string } | null)?.key;
    await page.close();
  });

  test("new seed trains", () => {
    expect(trainedOther).toBeGreaterThan(0);
  });

  test("old seed restores", () => {
    expect(trainedBack).toBe(0);
    expect(back?.status).toBe("restored");
  });
});

describe("an interrupted run resumes", () => {
  const threeEpochs = { ...tinyParams, epochs: "3", seed: "3" };
  let resumed: { status: string; reason: string } | null;
  let results: HeadlessResults;
  let trainedAfter: number;

  beforeAll(async () => {
    const page = await openNotebook(threeEpochs);
    // Close the page as a user closes a tab, once epoch 1's snapshot is stored and epoch 2 is training.
    await page.waitForFunction(() => /epoch 2\/3, batch/.test(document.querySelector("[data-view=progress] span")?.textContent ?? ""), null, { timeout: 300_000, polling: 200 });
    await page.close();
    const again = await openNotebook(threeEpochs);
    results = await settle(again);
    resumed = await runCell(again);
    trainedAfter = await steps(again);
    await again.close();
  });

  test("run says it resumed", () => {
    expect(resumed?.status).toBe("resumed");
  });

  test("resumed run finishes every epoch", () => {
    expect(results.summary?.epochs).toEqual([0, 1, 2, 3]);
    expect(results.summary?.status).toBe("done");
  });

  test("resumed run trains only the missing epochs", () => {
    // Tiny runs have 50 training images in batches of 32: 2 batches per epoch.
    expect(trainedAfter).toBe(4);
  });
});

describe("a corrupt entry is recomputed", () => {
  let trained: number;
  let outcome: { status: string; reason: string } | null;
  let warnings: number;

  beforeAll(async () => {
    const page = await context.newPage();
    await page.goto(`${inject("baseUrl")}/tests/browser/pages/backend.html`);
    // Damage the one-epoch run's stored checksum, as a disk error or a foreign writer would.
    expect(oneEpochRunKey).toBeTruthy();
    await page.evaluate(
      (key) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open("carryover-cache");
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const db = request.result;
            const tx = db.transaction("outputs", "readwrite");
            const store = tx.objectStore("outputs");
            store.openCursor().onsuccess = (event) => {
              const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
              if (!cursor) return;
              if (cursor.value.key === key) cursor.update({ ...cursor.value, checksum: "0".repeat(32) });
              cursor.continue();
            };
            tx.oncomplete = () => (db.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
      oneEpochRunKey,
    );
    await page.close();
    const again = await openNotebook(oneEpoch);
    await settle(again);
    trained = await steps(again);
    outcome = await runCell(again);
    warnings = await again.evaluate(() => window.carryover!.cacheWarnings!());
    await again.close();
  });

  test("corrupt entry recomputes", () => {
    expect(trained).toBeGreaterThan(0);
    expect(outcome?.status).toBe("computed");
    expect(outcome?.reason).toContain("corrupt");
  });

  test("corruption warns once", () => {
    expect(warnings).toBe(1);
    expect(consoleLines.filter((line) => line.includes("corrupt"))).toHaveLength(1);
  });
});

describe("the storage panel", () => {
  let rowsBefore: number;
  let rowsAfter: number;
  let statusText: string;
  let trainedBeforeDelete: number;

  beforeAll(async () => {
    const page = await openNotebook(oneEpoch);
    await settle(page);
    trainedBeforeDelete = await steps(page);
    await page.click("[data-view=storage] summary");
    await page.waitForSelector("[data-view=storage] tbody tr");
    rowsBefore = await page.$$eval("[data-view=storage] tbody tr", (rows) => rows.length);
    statusText = (await page.textContent("[data-view=storage] > div")) ?? "";
    await page.click("[data-view=storage] button:has-text('Delete all results of this notebook')");
    await page.waitForFunction(() => document.querySelectorAll("[data-view=storage] tbody tr").length === 0);
    rowsAfter = await page.$$eval("[data-view=storage] tbody tr", (rows) => rows.length);
    await page.close();
  });

  test("panel lists this notebook's entries", () => {
    expect(trainedBeforeDelete).toBe(0);
    expect(rowsBefore).toBeGreaterThanOrEqual(2);
    expect(statusText).toMatch(/Results of this notebook: \d+ entries/);
    expect(statusText).toContain("Browser storage:");
  });

  test("deleting empties the list", () => {
    expect(rowsAfter).toBe(0);
  });
});

describe("two tabs on one notebook", () => {
  const twoTabs = { ...oneEpoch, seed: "4" };
  let trained: number[];
  let statuses: Array<string | undefined>;
  let accuracies: unknown[];

  beforeAll(async () => {
    const pages = await Promise.all([openNotebook(twoTabs), openNotebook(twoTabs)]);
    const results = await Promise.all(pages.map(settle));
    trained = await Promise.all(pages.map(steps));
    statuses = await Promise.all(pages.map(async (page) => (await runCell(page))?.status));
    accuracies = results.map((result) => result.summary?.accuracy);
    await Promise.all(pages.map((page) => page.close()));
  });

  test("only one tab trains", () => {
    expect(trained.filter((count) => count > 0)).toHaveLength(1);
  });

  test("other tab reuses the result", () => {
    expect([...statuses].sort()).toEqual(["computed", "restored"]);
  });

  test("both tabs show the same numbers", () => {
    expect(accuracies[0]).toEqual(accuracies[1]);
  });
});
