import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { CellOutcome, HeadlessResults } from "../app/headless.ts";
import { carryoverVersion, reportFormatVersion } from "../cells/version.ts";
import type { RunArguments } from "./arguments.ts";
import { chromiumArgs, findChromium } from "./chromium.ts";
import { startPageServer } from "./serve.ts";
import { buildViewer } from "./viewer.ts";

/** Milliseconds between progress lines printed while the notebook runs. */
const pollInterval = 5000;

/** Milliseconds to wait for Chromium to start; a broken install fails here instead of hanging. */
const launchTimeout = 60_000;

/** Files of an earlier run that a new run replaces, so a failed run never leaves stale views beside its summary. */
const outputs = ["summary.json", "report.json", "index.html", "assets"];

/**
 * Runs a notebook in headless Chromium, then writes report.json, summary.json and the
 * static viewer to the output folder. Returns the process exit status: 0 when every
 * cell succeeded, 1 otherwise. `capture`, when given, reads more from the settled page
 * before the browser closes (`carryover build` takes the session file there).
 */
export async function runNotebook(
  args: RunArguments,
  log: (line: string) => void = console.log,
  capture?: (page: Page) => Promise<void>,
): Promise<number> {
  const notebookPath = resolve(args.notebook);
  let text: string;
  try {
    text = await readFile(notebookPath, "utf8");
  } catch (error) {
    throw new Error(`notebook not found: ${notebookPath} (check the path)`, { cause: error });
  }
  const executablePath = findChromium();
  const out = resolve(args.out);
  await mkdir(out, { recursive: true });
  for (const name of outputs) await rm(join(out, name), { recursive: true, force: true });

  const started = Date.now();
  const base = { formatVersion: reportFormatVersion, carryoverVersion, notebook: args.notebook };
  const writeSummary = (fields: Record<string, unknown>) =>
    writeFile(join(out, "summary.json"), JSON.stringify({ ...base, wallSeconds: (Date.now() - started) / 1000, ...fields }, null, 2) + "\n");

  const { server, url } = await startPageServer();
  let browser: Browser | undefined;
  try {
    browser = await launch(executablePath);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => log(`page error: ${error.message}`));
    await page.goto(`${url}/?headless`);
    await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
    log(`running ${basename(notebookPath)} in ${executablePath}`);
    await page.evaluate(([source, file, overrides]) => window.carryover!.open(source, file, overrides), [text, basename(notebookPath), args.params] as const);

    if (!(await waitUntilSettled(page, started + args.timeoutMinutes * 60_000, started, log))) {
      const partial: HeadlessResults = await page.evaluate(() => window.carryover!.results());
      await writeSummary({ status: "timedOut", cells: partial.cells });
      log(`timed out: ${basename(notebookPath)} still running after ${args.timeoutMinutes} min (raise --timeout); wrote ${join(out, "summary.json")}`);
      return 1;
    }
    const results: HeadlessResults = await page.evaluate(() => window.carryover!.results());
    const failed = results.cells.filter((cell) => cell.status === "error");
    await writeSummary({ ...(results.summary ?? { status: failed.length > 0 ? "failed" : "done" }), cells: results.cells });
    const written = ["summary.json"];
    if (results.report) {
      await writeFile(join(out, "report.json"), results.report);
      await buildViewer(out);
      written.push("report.json", "index.html");
    } else if (results.cells.some((cell) => cell.name.split(", ").includes("report"))) {
      log("no views written: the cell that declares `report` failed");
    } else {
      log("no views written: the notebook declares no `report` value (see notebooks/digits.md for one that does)");
    }

    await capture?.(page);
    reportFailures(failed, log);
    for (const file of written) {
      const size = await stat(join(out, file)).then((s) => s.size, () => 0);
      log(`wrote ${join(out, file)} (${(size / 1024).toFixed(1)} KiB)`);
    }
    log(failed.length ? `${failed.length} of ${results.cells.length} cells failed` : `all ${results.cells.length} cells ran`);
    return failed.length ? 1 : 0;
  } finally {
    await browser?.close();
    await server.close();
  }
}

async function launch(executablePath: string): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath, args: chromiumArgs, headless: true, timeout: launchTimeout });
  } catch (error) {
    // Playwright's message carries its whole call log; the first line is the reason.
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new Error(`failed to start Chromium at ${executablePath}: ${reason}. Check that it runs (\`${executablePath} --version\`), or set CARRYOVER_CHROMIUM to another Chromium or Chrome.`, { cause: error });
  }
}

/** Polls the page until every cell has settled, printing progress; returns false at the deadline. */
async function waitUntilSettled(page: Page, deadline: number, started: number, log: (line: string) => void): Promise<boolean> {
  let lastLine = "";
  while (!(await page.evaluate(() => window.carryover!.isSettled()))) {
    if (Date.now() > deadline) return false;
    const line = await page.evaluate(() => window.carryover!.statusLine());
    if (line !== lastLine) log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);
    lastLine = line;
    await new Promise((resolveWait) => setTimeout(resolveWait, pollInterval));
  }
  return true;
}

/** Prints each failure where it started; cells that failed only because an input failed are counted, not repeated. */
function reportFailures(failed: readonly CellOutcome[], log: (line: string) => void): void {
  const dependents = failed.filter((cell) => cell.kind === "input");
  for (const cell of failed) if (!dependents.includes(cell)) log(`failed: ${cell.message}`);
  if (dependents.length > 0) log(`${dependents.length} more cells failed because an input failed: ${dependents.map((cell) => cell.id).join(", ")}`);
}
