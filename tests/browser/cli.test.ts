import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";
import { chromiumArgs, findChromium } from "../../src/cli/chromium.ts";
import { serveFolder } from "../../src/cli/staticServer.ts";
import { carryover, type Finished } from "./carryoverProcess.ts";
import { tinyParams } from "./notebook.ts";

const tinyArgs = Object.entries(tinyParams).flatMap(([name, value]) => ["--param", `${name}=${value}`]);

describe("carryover run on the digits notebook", () => {
  let out: string;
  let finished: Finished;
  let summary: Record<string, any>;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "carryover-run-"));
    finished = await carryover(["run", "notebooks/digits.md", "--out", out, ...tinyArgs, "--param", "epochs=1"]);
    summary = JSON.parse(await readFile(join(out, "summary.json"), "utf8"));
  });

  test("exits with status 0", () => {
    expect(finished.code, finished.output).toBe(0);
  });

  test("summary names the backend that ran", () => {
    expect(summary.backend).toBe("webgpu");
  });

  test("summary lists every cell as ok", () => {
    expect(summary.cells.length).toBeGreaterThanOrEqual(15);
    for (const cell of summary.cells) expect(cell, cell.message).toMatchObject({ status: "ok" });
  });

  test("summary has target validation accuracy per epoch", () => {
    const targetVal = summary.accuracy.targetModel.targetVal as number[];
    expect(targetVal).toHaveLength(2);
    for (const value of targetVal) expect(value).toBeGreaterThan(0);
    expect(summary.epochs).toEqual([0, 1]);
    expect(summary.params.epochs).toBe(1);
  });

  test("static folder shows the views offline", async () => {
    const { server, url } = await serveFolder(out);
    const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${url}/`);
      await page.waitForSelector("#report[data-ready=true]", { timeout: 30_000 });
      // Once loaded, the page draws from report.json alone: no training, no network.
      await context.setOffline(true);
      const text = await page.textContent("[data-view=transferability]");
      const expected = ((summary.transferability as number) * 100).toFixed(1);
      expect(text).toContain(`${Number(expected) >= 0 ? "+" : ""}${expected} percentage points`);
      expect(await page.$$eval("[data-view=class-table] tbody tr", (rows) => rows.length)).toBe(10);
      expect(await page.$$eval("[data-view=curves-accuracy] path", (paths) => paths.length)).toBeGreaterThan(6);
      expect(await page.$$eval("[data-view=projection] canvas[data-role=scatter]", (canvases) => canvases.length)).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});

describe("carryover run with a failing cell", () => {
  let finished: Finished;
  let summary: Record<string, any>;

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), "carryover-broken-"));
    const notebook = join(folder, "broken.md");
    await writeFile(notebook, "# Broken\n\n```js\nconst ok = 1;\n```\n\n```js\nconst bad = undefinedName + ok;\n```\n");
    finished = await carryover(["run", notebook, "--out", join(folder, "out")]);
    summary = JSON.parse(await readFile(join(folder, "out", "summary.json"), "utf8"));
  });

  test("exits with status 1", () => {
    expect(finished.code, finished.output).toBe(1);
  });

  test("summary says the run failed", () => {
    expect(summary.status).toBe("failed");
    expect(summary.formatVersion).toBe(1);
  });

  test("summary reports the failed cell and its message", () => {
    expect(summary.cells).toEqual([
      { id: "cell-1", name: "ok", status: "ok" },
      { id: "cell-2", name: "bad", status: "error", message: expect.stringContaining("undefinedName is not defined"), kind: "undefined" },
    ]);
  });

  test("output names the failed cell", () => {
    expect(finished.output).toContain("failed: cell-2: undefinedName is not defined");
  });
});

describe("carryover usage errors", () => {
  test("missing notebook path exits 2 with usage", async () => {
    const finished = await carryover(["run", "--out", "x"]);
    expect(finished.code).toBe(2);
    expect(finished.output).toContain("missing notebook path");
    expect(finished.output).toContain("Usage: carryover run");
  });

  test("notebook file not found", async () => {
    const finished = await carryover(["run", "no-such.md", "--out", join(tmpdir(), "carryover-none")]);
    expect(finished.code).toBe(1);
    expect(finished.output).toMatch(/notebook not found: .*no-such\.md/);
  });
});

