/**
 * Writes docs/canvas.png: the digits case study in the canvas view, after a small run (2
 * epochs, 5 labelled images per class, WebGL) in headless Chromium.
 *
 *   npx tsx scripts/canvas-screenshot.ts [--port 0] [--out docs/canvas.png]
 *
 * `--port` fixes the dev server's loopback port; 0 picks a free one.
 */
import { chromium } from "playwright-core";
import { chromiumArgs, findChromium } from "../src/cli/chromium.ts";
import { startPageServer } from "../src/cli/serve.ts";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const port = Number(option("port", "0"));
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port: ${option("port", "")} (expected a TCP port, or 0 for a free one)`);
const out = option("out", "docs/canvas.png");
const params = { epochs: "2", budgetPerClass: "5", sourceSamples: "200", probePerDomain: "30", backends: '["webgl"]' };

const { server, url } = await startPageServer(port);
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  const query = new URLSearchParams({ notebook: "notebooks/digits.md", view: "canvas", cache: "off" });
  for (const [name, value] of Object.entries(params)) query.set(`p.${name}`, value);
  await page.goto(`${url}/?${query}`);
  await page.waitForFunction(() => window.carryover?.isSettled() === true, null, { timeout: 600_000, polling: 1000 });
  const failed = await page.evaluate(() => window.carryover!.results().cells.filter((cell) => cell.status !== "ok").map((cell) => `${cell.name}: ${cell.message}`));
  if (failed.length > 0) throw new Error(`cells failed:\n${failed.join("\n")}`);
  // Select the fine-tuning run, so the picture shows its inputs and dependents highlighted.
  await page.evaluate(() => {
    const notebookPage = window.carryover!.page()!;
    const run = notebookPage.cellStates().find((state) => state.outputs.includes("run"));
    const view = notebookPage.canvas!.view;
    view.fit();
    view.select(run?.id);
    view.applyNow();
  });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
