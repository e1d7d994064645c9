/**
 * Scatterplot benchmark: Carryover's scatterplot against regl-scatterplot 1.16 in the same
 * headless Chromium (WebGL on SwiftShader where no GPU exists), with the same seeded points on
 * the same 512 × 512 canvas. It times zoom and pan frames at each point count and a lasso at
 * one. It prints Markdown tables with ours/theirs ratios, whose figures go into BENCHMARKS.md.
 *
 *   npx tsx bench/scatter.ts [--points 100000,1000000,5000000] [--lasso-points 1000000] [--port 4322]
 */
import { chromium } from "playwright-core";
import { createServer } from "vite";
import { chromiumArgs, findChromium } from "../src/cli/chromium.ts";
import { packageRoot } from "../src/cli/serve.ts";
import type { Library, ScatterBenchRequest, ScatterBenchResult } from "./scatterPage.ts";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const counts = option("points", "100000,1000000,5000000").split(",").map(Number);
if (counts.some((count) => !Number.isInteger(count) || count <= 0)) throw new Error(`invalid --points: ${option("points", "")} (expected whole numbers such as 100000,1000000)`);
const lassoCount = Number(option("lasso-points", "1000000"));
const port = Number(option("port", "4322"));
if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid --port: ${option("port", "")} (expected a TCP port such as 4322)`);

/** Frames per interaction: fewer for more points, because SwiftShader takes seconds per frame there. */
function framesFor(count: number): number {
  if (count <= 200_000) return 20;
  if (count <= 2_000_000) return 8;
  return 4;
}

const server = await createServer({
  root: packageRoot,
  configFile: `${packageRoot}vite.config.ts`,
  server: { host: "127.0.0.1", port, strictPort: true, hmr: false, watch: null },
  logLevel: "error",
});
await server.listen();
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
const results: ScatterBenchResult[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 600 } });
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") console.error(`page: ${message.text()}`);
  });
  await page.goto(`http://127.0.0.1:${port}/bench/scatter.html`);
  await page.waitForFunction(() => Boolean(window.benchScatter), null, { timeout: 120_000 });
  for (const points of counts) {
    const request: ScatterBenchRequest = { points, frames: framesFor(points), lasso: points === lassoCount, side: 512, pointSize: 6, seed: 1 };
    for (const result of await page.evaluate((r) => window.benchScatter!(r), request)) {
      console.error(`${result.library} ${points}: zoom ${result.zoomFrameMs.toFixed(1)} ms, pan ${result.panFrameMs.toFixed(1)} ms${result.lassoMs === undefined ? "" : `, lasso ${result.lassoMs.toFixed(1)} ms`}`);
      results.push(result);
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const find = (library: Library, points: number) => results.find((r) => r.library === library && r.points === points)!;
// Ratios are rounded up, so one just above its goal never prints as meeting it.
const ratio = (ours: number, theirs: number) => (Math.ceil((ours / theirs) * 100) / 100).toFixed(2);
const ms = (value: number) => value.toFixed(1);

console.log(
  "Median ms per frame, from the frame's start until one pixel reads back. Ours draws density where the points in view overlap more than 8 times on average " +
    "(mode \"auto\", the default); \"points only\" forces one sprite per point. Ratio: ours / regl-scatterplot (goal: at most 0.50).\n",
);
console.log("| points | interaction | ours (auto) | ours, points only | regl-scatterplot | ratio auto | ratio points only |");
console.log("|---|---|---|---|---|---|---|");
for (const points of counts) {
  const auto = find("ours", points);
  const sprites = find("ours, points only", points);
  const theirs = find("regl-scatterplot", points);
  for (const [name, key] of [["zoom", "zoomFrameMs"], ["pan", "panFrameMs"]] as const) {
    console.log(
      `| ${points.toLocaleString("en-US")} | ${name} | ${ms(auto[key])} | ${ms(sprites[key])} | ${ms(theirs[key])} | ${ratio(auto[key], theirs[key])} | ${ratio(sprites[key], theirs[key])} |`,
    );
  }
}
console.log("\nSetup, from handing over the typed arrays until the first frame reads back, ms.\n");
console.log("| points | ours | regl-scatterplot |");
console.log("|---|---|---|");
for (const points of counts) console.log(`| ${points.toLocaleString("en-US")} | ${ms(find("ours", points).setupMs)} | ${ms(find("regl-scatterplot", points).setupMs)} |`);
if (counts.includes(lassoCount)) {
  const ours = find("ours", lassoCount);
  const theirs = find("regl-scatterplot", lassoCount);
  console.log(`\nLasso of 40 vertices around the middle at ${lassoCount.toLocaleString("en-US")} points, from pointer release to the selection callback.\n`);
  console.log("| | ours | regl-scatterplot | ratio |");
  console.log("|---|---|---|---|");
  console.log(`| latency ms | ${ms(ours.lassoMs!)} | ${ms(theirs.lassoMs!)} | ${ratio(ours.lassoMs!, theirs.lassoMs!)} |`);
  console.log(`| points selected | ${ours.lassoSelected} | ${theirs.lassoSelected} | |`);
}
const largest = Math.max(...counts);
console.log(`\nGPU bytes per point at ${largest.toLocaleString("en-US")} points: ours ${find("ours", largest).gpuBytesPerPoint.toFixed(1)}, regl-scatterplot ${find("regl-scatterplot", largest).gpuBytesPerPoint.toFixed(1)}.`);
