import { cp, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inject } from "vitest";
import { chromiumArgs, findChromium } from "../../src/cli/chromium.ts";
import { serveFolder } from "../../src/cli/staticServer.ts";
import { headerOffsets } from "../../src/runtime/session/format.ts";
import { encodeSession } from "../../src/runtime/session/writer.ts";
import { resealHeader, rewriteManifest, syntheticReport } from "../unit/session/synthetic.ts";
import { carryover } from "./carryoverProcess.ts";
import { nonBackgroundPixels, tinyParams } from "./notebook.ts";

/** Port of the static server; fixed, so the service worker's origin is the same on every visit. */
const sitePort = Number(process.env.CARRYOVER_TEST_PORT ?? 4317) + 1;
const tinyArgs = Object.entries(tinyParams).flatMap(([name, value]) => ["--param", `${name}=${value}`]);

/** Records page errors and Content Security Policy violations from the first script on. */
async function watch(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  await page.exposeFunction("reportViolation", (text: string) => problems.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return problems;
}

function read(summary: Record<string, any>, metric: "accuracy" | "loss", key: string): number[] {
  const [model, set] = key.split(".") as [string, string];
  return summary[metric][model][set];
}

/** Moves the replay's epoch scrubber as a reader would. */
async function scrub(page: Page, index: number): Promise<void> {
  await page.$eval("[data-role=epoch-scrubber]", (element, value) => {
    const input = element as HTMLInputElement;
    input.value = String(value);
    input.dispatchEvent(new Event("input"));
  }, index);
}

/** Reads the exact figures the replay shows for the scrubbed epoch. */
function shownFigures(page: Page) {
  return page.$$eval("[data-view=epoch-figures] td[data-metric]", (cells) =>
    cells.map((cell) => ({ series: (cell.parentElement as HTMLElement).dataset.series, metric: (cell as HTMLElement).dataset.metric, value: Number((cell as HTMLElement).dataset.value) })),
  );
}

async function expectViewsDrawn(page: Page, classes: number): Promise<void> {
  expect(await page.textContent("[data-view=transferability]")).toContain("percentage points");
  expect(await page.$$eval("[data-view=curves-accuracy] path", (paths) => paths.length)).toBeGreaterThan(6);
  expect(await page.$$eval("[data-view=curves-loss] path", (paths) => paths.length)).toBeGreaterThan(6);
  expect(await page.$$eval("[data-view=class-table] tbody tr", (rows) => rows.length)).toBe(classes);
  expect(await page.$$eval("[data-view=epoch-figures] td[data-metric]", (cells) => cells.length)).toBe(12);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await nonBackgroundPixels(page, "[data-view=projection] canvas[data-role=scatter]")).toBeGreaterThan(100);
}

describe("carryover build of the digits notebook", () => {
  let www: string;
  let site: string;
  let built: { code: number | null; output: string };
  let summary: Record<string, any>;
  let server: Server;
  let siteUrl: string;
  let browser: Browser;
  let savedSession: Buffer;

  beforeAll(async () => {
    www = await mkdtemp(join(tmpdir(), "carryover-publish-"));
    // The site lives two folders down, to prove it works from a sub-path.
    site = join(www, "lab", "digits");
    built = await carryover(["build", "notebooks/digits.md", "--out", site, ...tinyArgs]);
    summary = JSON.parse(await readFile(join(site, "summary.json"), "utf8"));
    ({ server, url: siteUrl } = await serveFolder(www, sitePort));
    browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  test("build exits 0 and prints sizes", async () => {
    expect(built.code, built.output).toBe(0);
    expect(built.output).toMatch(/KiB {2}index\.html/);
    expect(built.output).toMatch(/KiB {2}assets\/session-[0-9a-f]{12}\.carryover/);
    expect(built.output).toMatch(/KiB {2}total, \d+ files/);
    const assets = await readdir(join(site, "assets"));
    // Every asset name carries a content hash.
    for (const file of assets) expect(file).toMatch(/-[\w-]{8,}\.(js|css|carryover)$/);
  });

  test("published page sets a Content Security Policy", async () => {
    const html = await readFile(join(site, "index.html"), "utf8");
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'unsafe-eval'`);
  });

  test("projection needs 'unsafe-eval' in the policy", async () => {
    // regl compiles draw commands with new Function: without 'unsafe-eval' the projection cannot draw.
    // If this starts to pass, tighten contentSecurityPolicy in src/cli/build.ts.
    const strict = join(www, "strict");
    await cp(site, strict, { recursive: true });
    const html = await readFile(join(strict, "index.html"), "utf8");
    await writeFile(join(strict, "index.html"), html.replace(" 'unsafe-eval'", ""));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${siteUrl}/strict/`);
    await page.waitForSelector("#replay[data-ready=error], [data-role=session-error]:not([hidden])", { timeout: 60_000 });
    expect(await page.textContent("[data-role=session-error]")).toContain("'unsafe-eval' is not an allowed source of script");
    await context.close();
  });

  test("site works offline and matches the run", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = await watch(page);
    await page.goto(`${siteUrl}/lab/digits/`);
    await page.waitForSelector("#replay[data-ready=true]", { timeout: 60_000 });
    expect(await page.evaluate(() => window.carryoverReplay!.offlineReady())).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector("#replay[data-ready=true]", { timeout: 60_000 });
    await expectViewsDrawn(page, 10);

    const replayed = await page.evaluate(() => window.carryoverReplay!.summary()!);
    for (const field of ["backend", "status", "params", "epochs", "accuracy", "loss", "transferability", "bestEpoch", "elapsedMs"]) {
      expect(replayed[field as keyof typeof replayed], field).toEqual(summary[field]);
    }
    const last = summary.epochs.length - 1;
    for (const figure of await shownFigures(page)) expect(figure.value, `${figure.series} ${figure.metric}`).toBe(read(summary, figure.metric as "accuracy", figure.series!)[last]);

    // Linked selection works offline too: selecting on the projection fills the summary below it.
    expect(await page.textContent("[data-view=selection-summary]")).toContain("Nothing selected");
    await page.$eval("[data-view=projection]", (element) => (element as HTMLElement & { select(indices: number[]): void }).select([0, 1, 2]));
    expect(await page.textContent("[data-view=selection-summary] [data-role=summary]")).toMatch(/^3 selected: /);
    expect(await page.$$eval("[data-view=selection-summary] tbody tr", (rows) => rows.length)).toBe(3);

    const download = page.waitForEvent("download");
    await page.click("[data-role=save-session]");
    savedSession = await readFile((await (await download).path())!);
    const baked = await page.$eval("meta[name=carryover-session]", (meta) => (meta as HTMLMetaElement).content);
    expect(savedSession.equals(await readFile(join(site, baked)))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  test("saved session replays in a fresh profile", async () => {
    expect(savedSession, "the offline test saves the session").toBeDefined();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = await watch(page);
    await page.goto(`${inject("baseUrl")}/replay.html`);
    await page.waitForSelector("#replay[data-ready=empty]", { timeout: 60_000 });
    await page.setInputFiles("[data-role=open-session]", { name: "digits.carryover", mimeType: "application/octet-stream", buffer: savedSession });
    await page.waitForSelector("#replay[data-ready=true]", { timeout: 60_000 });
    await expectViewsDrawn(page, 10);

    for (let k = 0; k < summary.epochs.length; k++) {
      await scrub(page, k);
      const figures = await shownFigures(page);
      expect(figures).toHaveLength(12);
      for (const figure of figures) expect(figure.value, `epoch ${k} ${figure.series} ${figure.metric}`).toBe(read(summary, figure.metric as "accuracy", figure.series!)[k]);
      expect(await page.textContent("[data-view=projection] output")).toBe(`epoch ${k}`);
      expect(await page.$eval("[data-view=epoch-replay]", (element) => (element as HTMLElement).dataset.snapshot)).toBe(String(k));
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  test("bad sessions show their message", async () => {
    const page = await browser.newPage();
    await page.goto(`${inject("baseUrl")}/replay.html`);
    await page.waitForSelector("#replay[data-ready=empty]", { timeout: 60_000 });
    const valid = new Uint8Array(savedSession);
    const newerVersion = valid.slice();
    new DataView(newerVersion.buffer).setUint32(headerOffsets.formatVersion, 2, true);
    const flipped = valid.slice();
    flipped[flipped.length - 5]! ^= 0x01;
    const hugeData = valid.slice();
    new DataView(hugeData.buffer).setBigUint64(headerOffsets.dataByteLength, 1n << 60n, true);
    const cases: [string, Uint8Array, string][] = [
      ["truncated", valid.subarray(0, valid.length >> 1), `"truncated.carryover" is truncated: ${valid.length >> 1} bytes, but its header declares ${valid.length}`],
      ["version", resealHeader(newerVersion), "unsupported session format version 2"],
      ["checksum", flipped, "checksum mismatch in array"],
      ["missing", rewriteManifest(valid, (manifest) => ((manifest.results as any).report.probe.labels = { $array: 100000 })), "missing array in \"missing.carryover\": results.report.probe.labels refers to array 100000"],
      ["size", resealHeader(hugeData), "invalid data length in \"size.carryover\": 1152921504606846976 bytes"],
      ["notebook", new TextEncoder().encode("# A notebook, not a session\n"), "is not a Carryover session"],
    ];
    for (const [name, bytes, message] of cases) {
      await page.setInputFiles("[data-role=open-session]", { name: `${name}.carryover`, mimeType: "application/octet-stream", buffer: Buffer.from(bytes) });
      await page.waitForSelector("[data-role=session-error]:not([hidden])");
      expect(await page.textContent("[data-role=session-error]"), name).toContain(message);
      expect(await page.$eval("#replay", (element) => (element as HTMLElement).dataset.ready), name).toBe("empty");
    }
    // The page keeps working: a good file, dropped on the page this time, still opens after every bad one.
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], "digits.carryover"));
      return transfer;
    }, savedSession.toString("base64"));
    await page.dispatchEvent("body", "drop", { dataTransfer });
    await page.waitForSelector("#replay[data-ready=true]", { timeout: 60_000 });
    expect(await page.isHidden("[data-role=session-error]")).toBe(true);
    await page.close();
  });
});

describe("session from another writer", () => {
  const hostile = [
    "# Hostile",
    "",
    'Prose with markup: <img src="x" onerror="window.bundleRan = \'prose\'"> <script>window.bundleRan = "script"</script> [link](javascript:window.bundleRan=1)',
    "",
    "```js",
    "globalThis.cellRan = true;",
    "```",
    "",
  ].join("\n");
  const bytes = encodeSession(
    {
      meta: { carryoverVersion: "0.1.0", backend: "cuda", seed: 3, libraries: { torch: "2.3.0" }, createdAt: "2026-01-02T03:04:05.000Z", producer: "synthetic writer" },
      notebook: { fileName: "hostile.md", source: hostile },
      results: { report: syntheticReport({ n: 40, classes: 3, epochs: 2, seed: 3 }) },
    },
    "hostile.carryover",
  );

  test("replay evaluates none of its code", async () => {
    const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const messages: string[] = [];
      page.on("console", (message) => messages.push(`${message.type()}: ${message.text()}`));
      page.on("pageerror", (error) => messages.push(`pageerror: ${error.message}`));
      page.on("framenavigated", (frame) => messages.push(`navigated: ${frame.url()}`));
      page.on("response", (response) => {
        if (response.status() >= 400) messages.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      // The notebook page has no Content Security Policy, so only the replay itself keeps the code from running.
      await page.goto(`${inject("baseUrl")}/?headless`);
      await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
      await page.setInputFiles("[data-role=open-session]", { name: "hostile.carryover", mimeType: "application/octet-stream", buffer: Buffer.from(bytes) });
      await page.waitForSelector("[data-view=replay]", { timeout: 60_000 });
      await expectViewsDrawn(page, 3);
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => (window as { bundleRan?: unknown }).bundleRan)).toBeUndefined();
      expect(await page.evaluate(() => (window as { cellRan?: unknown }).cellRan)).toBeUndefined();
      expect(await page.$$eval("[data-view=replay] img, [data-view=replay] script", (nodes) => nodes.length)).toBe(0);
      expect(await page.$eval("[data-view=replay] .prose a", (link) => link.hasAttribute("href"))).toBe(false);
      expect(await page.textContent("pre.cell-code")).toBe("globalThis.cellRan = true;");

      // Running the cells is the reader's explicit choice, behind a warning.
      await page.click("[data-role=run-cells]");
      expect(await page.isVisible("[data-role=run-warning]")).toBe(true);
      expect(await page.evaluate(() => (window as { cellRan?: unknown }).cellRan)).toBeUndefined();
      // Once run, the notebook page renders the prose as its author wrote it, so the prose's
      // handler may set bundleRan too. The cell therefore sets a flag of its own.
      await page.click("[data-role=confirm-run]");
      const ran = await page
        .waitForFunction(() => (window as { cellRan?: unknown }).cellRan === true, null, { timeout: 60_000 })
        .then(() => true, async () => {
          messages.push(`page text: ${await page.textContent("main")}`);
          return false;
        });
      expect(ran, `the confirmed run sets the flag; page output:\n${messages.join("\n")}`).toBe(true);

      // This notebook records no run, so the page's own "Save session" says so instead of saving.
      await page.click("body > .session-toolbar > [data-role=save-session]");
      await page.waitForSelector("body > .session-toolbar [data-role=session-error]:not([hidden])");
      expect(await page.textContent("body > .session-toolbar [data-role=session-error]")).toContain("missing report: this notebook has not recorded a run yet");
    } finally {
      await browser.close();
    }
  });
});
