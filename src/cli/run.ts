import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { chromiumArgs, findChromium } from "./chromium.ts";
import type { RunArguments } from "./arguments.ts";
import { startPageServer } from "./serve.ts";
import { buildViewer } from "./viewer.ts";
import type { HeadlessResults } from "../app/headless.ts";

/** Milliseconds between progress lines printed while the notebook runs. */
const pollInterval = 5000;

/**
 * Runs a notebook in headless Chromium, then writes report.json, summary.json and the
 * static viewer to the output folder. Returns the process exit status: 0 when every
 * cell succeeded, 1 otherwise.
 */
export async function runNotebook(args: RunArguments, log: (line: string) => void = console.log): Promise<number> {
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

  const { server, url } = await startPageServer();
  const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  const started = Date.now();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => log(`page error: ${error.message}`));
    await page.goto(`${url}/?headless`);
    await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
    log(`running ${basename(notebookPath)} in ${executablePath}`);
    await page.evaluate(([source, file, overrides]) => window.carryover!.open(source, file, overrides), [text, basename(notebookPath), args.params] as const);

    const deadline = started + args.timeoutMinutes * 60_000;
    let lastLine = "";
    while (!(await page.evaluate(() => window.carryover!.isSettled()))) {
      if (Date.now() > deadline) throw new Error(`timed out: ${basename(notebookPath)} still running after ${args.timeoutMinutes} min (raise --timeout)`);
      const line = await page.evaluate(() => window.carryover!.statusLine());
      if (line !== lastLine) log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);
      lastLine = line;
      await new Promise((resolveWait) => setTimeout(resolveWait, pollInterval));
    }
    const results: HeadlessResults = await page.evaluate(() => window.carryover!.results());
    const summary = { notebook: basename(notebookPath), wallSeconds: (Date.now() - started) / 1000, ...results.summary, cells: results.cells };
    await writeFile(join(out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
    const written = ["summary.json"];
    if (results.report) {
      await writeFile(join(out, "report.json"), results.report);
      await buildViewer(out);
      written.push("report.json", "index.html");
    } else {
      log("no views written: the notebook declares no `report` value (see notebooks/digits.md for one that does)");
    }

    for (const cell of results.cells) if (cell.status === "error") log(`cell ${cell.id} (${cell.name}) failed: ${cell.message}`);
    const failed = results.cells.filter((cell) => cell.status === "error").length;
    for (const file of written) {
      const size = await stat(join(out, file)).then((s) => s.size, () => 0);
      log(`wrote ${join(out, file)} (${(size / 1024).toFixed(1)} KiB)`);
    }
    log(failed ? `${failed} of ${results.cells.length} cells failed` : `all ${results.cells.length} cells ran`);
    return failed ? 1 : 0;
  } finally {
    await browser.close();
    await server.close();
  }
}
