/**
 * Published site benchmark: the size of a site that `carryover build` wrote, and the time
 * from opening it to every view drawn, on a first visit (files from the network) and on an
 * offline reload (files from the service worker), side by side in one browser. Prints
 * Markdown tables; the figures go into BENCHMARKS.md.
 *
 *   npx tsx bench/publish.ts --site <folder written by carryover build> [--repeats 5]
 */
import { readdir, stat, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "playwright-core";
import { chromiumArgs, findChromium } from "../src/cli/chromium.ts";
import { serveFolder } from "../src/cli/staticServer.ts";

function option(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : fallback;
  if (value === undefined) throw new Error(`missing --${name} (see the usage at the top of bench/publish.ts)`);
  return value;
}

const site = option("site");
const repeats = Number(option("repeats", "5"));
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`invalid --repeats: ${option("repeats")} (expected a whole number of at least 1)`);
/** Loopback port of the static server; the service worker's origin includes it. */
const port = Number(option("port", "4344"));

async function files(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(site, join(entry.parentPath, entry.name))).sort();
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
console.log(`Site: ${site}\n\n| file | KiB | gzip KiB |\n|---|---|---|`);
let total = 0;
let totalGzip = 0;
for (const file of await files(site)) {
  const bytes = await readFile(join(site, file));
  const gzip = gzipSync(bytes).length;
  total += (await stat(join(site, file))).size;
  totalGzip += gzip;
  console.log(`| ${file} | ${kib(bytes.length)} | ${kib(gzip)} |`);
}
console.log(`| total | ${kib(total)} | ${kib(totalGzip)} |\n`);

/**
 * Milliseconds from navigation start until every view is drawn: the transferability text, both
 * curve plots, the per-class table, the epoch figures and a projection canvas with drawn pixels.
 */
function viewsDrawnAt(page: Page): Promise<number> {
  // A string, because tsx would wrap named functions in a helper that the page lacks.
  return page.evaluate(`new Promise((resolve) => {
    const selectors = ["[data-view=transferability]", "[data-view=curves-accuracy]", "[data-view=curves-loss]", "[data-view=class-table] tbody tr", "[data-view=epoch-figures] td"];
    const drawn = () => {
      const canvas = document.querySelector("[data-view=projection] canvas[data-role=scatter]");
      if (!selectors.every((selector) => document.querySelector(selector)) || !canvas || canvas.width === 0) return false;
      const copy = document.createElement("canvas");
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext("2d");
      context.drawImage(canvas, 0, 0);
      const data = context.getImageData(0, 0, copy.width, copy.height).data;
      for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
      return false;
    };
    const poll = () => (drawn() ? resolve(performance.now()) : requestAnimationFrame(poll));
    poll();
  })`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const { server, url } = await serveFolder(join(site, ".."), port);
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
const firstVisit: number[] = [];
const offlineReload: number[] = [];
try {
  const address = `${url}/${site.replace(/\/$/, "").split("/").pop()}/`;
  for (let r = 0; r < repeats; r++) {
    // A fresh context each time: no HTTP cache, no service worker, as for a new reader.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(address);
    firstVisit.push(await viewsDrawnAt(page));
    await page.evaluate(() => window.carryoverReplay!.offlineReady());
    await context.setOffline(true);
    await page.reload();
    offlineReload.push(await viewsDrawnAt(page));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const format = (values: number[]) => values.map((value) => value.toFixed(0)).join(", ");
console.log(`Time from navigation start to every view drawn, ms, ${repeats} repeats\n`);
console.log("| visit | median | all | ratio to first visit |\n|---|---|---|---|");
console.log(`| first visit (network, loopback) | ${median(firstVisit).toFixed(0)} | ${format(firstVisit)} | 1.00 |`);
console.log(`| offline reload (service worker) | ${median(offlineReload).toFixed(0)} | ${format(offlineReload)} | ${(median(offlineReload) / median(firstVisit)).toFixed(2)} |`);
