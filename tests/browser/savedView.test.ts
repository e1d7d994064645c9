import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inject } from "vitest";
import { chromiumArgs, findChromium } from "../../src/cli/chromium.ts";
import { serveFolder } from "../../src/cli/staticServer.ts";
import { encodeSession } from "../../src/runtime/session/writer.ts";
import { syntheticReport } from "../unit/session/synthetic.ts";
import { carryover } from "./carryoverProcess.ts";
import { openPage, type OpenedPage } from "./harness.ts";

/** The test works on a copy, because switching views rewrites the notebook file through the dev server. */
const folder = `notebooks/.saved-view-test-${process.env.CARRYOVER_TEST_PORT ?? 4317}`;
const path = `${folder}/saved.md`;

/** A notebook its author left in the canvas view; its cells draw the replayed views and set a flag if they ever run. */
const notebook = [
  "---",
  "view: canvas",
  "---",
  "# Saved on the canvas",
  "",
  "```js id=answer canvas=40,60,300,150",
  "globalThis.cellRan = true;",
  "const answer = 42;",
  "```",
  "",
  "```js id=curves canvas=400,60,500,360",
  'import { curvesView } from "carryover";',
  "",
  'curvesView(run.snapshots, "accuracy");',
  "```",
  "",
].join("\n");

/** Left and top of each node, as the canvas placed it. */
function nodePlaces(opened: Pick<OpenedPage, "page">) {
  return opened.page.$$eval(".canvas-node", (nodes) => Object.fromEntries(nodes.map((node) => [(node as HTMLElement).dataset.cellId, [(node as HTMLElement).style.left, (node as HTMLElement).style.top]])));
}

describe("notebook page in the saved view", () => {
  let opened: OpenedPage;

  beforeAll(() => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path, notebook);
  });

  afterAll(async () => {
    await opened?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("opens in the canvas view and saves the switch", async () => {
    opened = await openPage("/?headless&cache=off");
    const page = opened.page;
    await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
    await page.evaluate(([text, file]) => window.carryover!.open(text, file, {}), [notebook, path] as const);
    await page.waitForSelector(".canvas-view .canvas-node", { timeout: 60_000 });
    expect(await page.getAttribute("#notebook", "data-page-view")).toBe("canvas");
    expect(await page.getAttribute("button[data-view-name=canvas]", "aria-pressed")).toBe("true");
    expect(await nodePlaces(opened)).toMatchObject({ answer: ["40px", "60px"], curves: ["400px", "60px"] });
    // The front matter is a setting, not prose.
    expect(await page.$$eval(".prose hr", (rules) => rules.length)).toBe(0);

    await page.click("button[data-view-name=document]");
    await page.evaluate(() => window.carryover!.page()!.flush());
    expect(await page.evaluate(() => window.carryover!.page()!.viewSaveError)).toBeNull();
    expect(await page.$$eval(".canvas-node", (nodes) => nodes.length)).toBe(0);
    const before = notebook.split("\n");
    const after = readFileSync(path, "utf8").split("\n");
    expect(after.flatMap((line, i) => (line === before[i] ? [] : [[before[i], line]]))).toEqual([["view: canvas", "view: document"]]);
    expect(after).toHaveLength(before.length);
  }, 180_000);

  test("?view= overrides the saved view", async () => {
    await opened.page.goto(`${inject("baseUrl")}/?headless&cache=off&view=document`);
    await opened.page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
    await opened.page.evaluate(([text, file]) => window.carryover!.open(text, file, {}), [notebook, path] as const);
    await opened.page.waitForSelector("main > section.cell");
    expect(await opened.page.$$eval(".canvas-node", (nodes) => nodes.length)).toBe(0);
    expect(await opened.page.getAttribute("button[data-view-name=document]", "aria-pressed")).toBe("true");
  }, 180_000);

  test("failed save shows its reason", async () => {
    const page = opened.page;
    // A notebook outside notebooks/ cannot be written, so the page keeps the view and shows why.
    await page.evaluate(([text]) => window.carryover!.open(text, "elsewhere.md", {}), [notebook] as const);
    // The address shows the document view, and the file saved the canvas view, so choosing the document view saves.
    await page.click("button[data-view-name=document]");
    await page.evaluate(() => window.carryover!.page()!.flush());
    expect(await page.textContent("[data-role=view-save-error]")).toContain('saving the view of elsewhere.md failed: invalid notebook path: "elsewhere.md"');
    expect(await page.evaluate(() => window.carryover!.page()!.savedView)).toBe("document");
  }, 180_000);
});

describe("replay of a session saved with the canvas view", () => {
  test("places views at their cells' places", async () => {
    const bytes = encodeSession(
      {
        meta: { carryoverVersion: "0.1.0", backend: "cuda", seed: 3, libraries: { torch: "2.3.0" }, createdAt: "2026-01-02T03:04:05.000Z", producer: "synthetic writer" },
        notebook: { fileName: "saved.md", source: notebook },
        results: { report: syntheticReport({ n: 12, classes: 3, epochs: 2, seed: 3 }) },
      },
      "saved.carryover",
    );
    // Published from the session alone, which runs nothing, and served from a sub-path as a static site.
    const www = mkdtempSync(join(tmpdir(), "carryover-saved-view-"));
    writeFileSync(join(www, "saved.carryover"), bytes);
    const built = await carryover(["build", "--session", join(www, "saved.carryover"), "--out", join(www, "site")]);
    expect(built.code, built.output).toBe(0);
    const { server, url } = await serveFolder(www);
    const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const opened = { page };
    try {
      await page.goto(`${url}/site/`);
      await page.waitForSelector(".canvas-view .canvas-node", { timeout: 60_000 });
      const places = await nodePlaces(opened);
      expect(places).toMatchObject({ answer: ["40px", "60px"], curves: ["400px", "60px"] });
      // The views no cell draws get nodes of their own, placed below.
      expect(Object.keys(places)).toEqual(expect.arrayContaining(["replay-loss", "replay-classes", "replay-projection"]));
      // The curves cell's node shows the replayed chart; the other cell's node shows its source as text.
      expect(await page.$$eval(".canvas-node[data-cell-id=curves] [data-view=curves-accuracy] path", (paths) => paths.length)).toBeGreaterThan(6);
      expect(await page.textContent(".canvas-node[data-cell-id=answer] pre.cell-code")).toContain("const answer = 42;");
      expect(await page.$$eval(".canvas-node", (nodes) => nodes.every((node) => (node as HTMLElement).dataset.state === "done"))).toBe(true);

      // The scrubber stays above the canvas and still drives the views in the nodes.
      await page.$eval("[data-role=epoch-scrubber]", (element) => {
        (element as HTMLInputElement).value = "0";
        element.dispatchEvent(new Event("input"));
      });
      expect(await page.textContent(".canvas-node[data-cell-id=replay-figures] tr[data-series] td[data-metric=accuracy]")).toMatch(/%$/);
      expect(await page.textContent(".canvas-panel > .epoch-scrubber output")).toBe("epoch 0 (before fine-tuning)");

      const curves = await page.evaluateHandle(() => document.querySelector("[data-view=curves-accuracy]"));
      await page.click("button[data-view-name=document]");
      expect(await page.$$eval(".canvas-node", (nodes) => nodes.length)).toBe(0);
      // The same chart moved back into the document's replay, after the scrubber.
      expect(await curves.evaluate((element) => element !== null && element.isConnected && element.closest("[data-view=epoch-replay]") !== null)).toBe(true);
      expect(await page.$eval("[data-view=epoch-replay] > .epoch-scrubber", (element) => element === element.parentElement!.firstElementChild)).toBe(true);
      await page.click("button[data-view-name=canvas]");
      // The canvas module loads through a dynamic import, so the chart moves back a moment after the click.
      await expect.poll(() => curves.evaluate((element) => element!.closest(".canvas-node")?.getAttribute("data-cell-id")), { timeout: 10_000 }).toBe("curves");
      expect(await page.evaluate(() => (window as { cellRan?: unknown }).cellRan)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
      rmSync(www, { recursive: true, force: true });
    }
  }, 180_000);
});
