/**
 * Canvas view benchmark. Opens a generated notebook of 200 cells (each shows a 12×4 table and
 * reads one or two other cells) in headless Chromium, switches to the canvas view and times
 * frames while the view pans at zoom 1 and while it zooms in and out around the whole
 * notebook, with offscreen culling on and off in the same page. The two variants alternate for
 * `--rounds` rounds, so that load from other processes falls on both alike, and each row pools
 * the frames of all rounds. Prints a Markdown table; the figures go into BENCHMARKS.md.
 *
 *   npx tsx bench/canvas.ts [--cells 200] [--frames 120] [--rounds 3] [--port 0]
 *
 * `--port` fixes the dev server's loopback port; 0 picks a free one.
 */
import { chromium } from "playwright-core";
import { chromiumArgs, findChromium } from "../src/cli/chromium.ts";
import { startPageServer } from "../src/cli/serve.ts";

function option(name: string, fallback: string, minimum = 1): number {
  const index = process.argv.indexOf(`--${name}`);
  const text = index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`invalid --${name}: ${text} (expected a whole number of at least ${minimum})`);
  return value;
}

const cellCount = option("cells", "200");
const frameCount = option("frames", "120");
const rounds = option("rounds", "3");
const port = option("port", "0", 0);
const COLUMNS = 20;

/** Cell i reads its left neighbour and the cell above it in a grid of 20 columns. */
function generatedNotebook(count: number): string {
  const cells: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const column = i % COLUMNS;
    const row = Math.floor(i / COLUMNS);
    const inputs = [column > 0 ? `v${i - 1}` : "", row > 0 ? `v${i - COLUMNS}` : ""].filter(Boolean);
    cells.push(
      [
        `\`\`\`js id=c${i} canvas=${column * 460},${row * 340},420,300`,
        `const v${i} = ${inputs.length > 0 ? inputs.join(" + ") : "1"} + 1;`,
        "{",
        '  const table = document.createElement("table");',
        "  for (let r = 0; r < 12; r += 1) {",
        "    const row = table.insertRow();",
        `    for (let c = 0; c < 4; c += 1) row.insertCell().textContent = String((v${i} * (r + 1) + c) % 97);`,
        "  }",
        "  display(table);",
        "}",
        "```",
        "",
      ].join("\n"),
    );
  }
  return `# ${count} cells\n\n${cells.join("\n")}`;
}

interface FrameSamples {
  /** Milliseconds between consecutive animation frames. */
  intervals: number[];
  /** Script, style and layout milliseconds per frame. */
  work: number[];
  /** Nodes not culled, per frame. */
  rendered: number[];
}

/** Runs in the page: moves the viewport once per animation frame and returns frame intervals and the script and layout time per frame. */
async function measure([motion, culling, frames]: readonly ["pan" | "zoom", boolean, number]): Promise<FrameSamples> {
  const canvas = window.carryover!.page()!.canvas!.view;
  canvas.setCulling(culling);
  canvas.view = { x: 0, y: 0, scale: 1 };
  canvas.applyNow();
  canvas.fit();
  canvas.applyNow();
  const fitted = canvas.view;
  const start = motion === "pan" ? { x: 0, y: 0, scale: 1 } : fitted;
  const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  const intervals: number[] = [];
  const work: number[] = [];
  const rendered: number[] = [];
  await nextFrame();
  let last = await nextFrame();
  const centreX = canvas.element.clientWidth / 2;
  const centreY = canvas.element.clientHeight / 2;
  for (let i = 0; i < frames; i += 1) {
    const t = i / frames;
    // Zooming keeps the screen's centre in place, from the fitted view to 4 times closer and back.
    const factor = 1 + 3 * Math.sin(Math.PI * t);
    canvas.view =
      motion === "pan"
        ? { ...start, x: -t * 6000, y: -t * 2000 }
        : { scale: fitted.scale * factor, x: centreX - (centreX - fitted.x) * factor, y: centreY - (centreY - fitted.y) * factor };
    const before = performance.now();
    canvas.applyNow();
    // Reading a size forces style and layout, so `work` covers them as well as the script.
    void canvas.element.querySelector(".canvas-node")!.getBoundingClientRect();
    work.push(performance.now() - before);
    rendered.push(canvas.element.querySelectorAll(".canvas-node:not([data-culled])").length);
    const now = await nextFrame();
    intervals.push(now - last);
    last = now;
  }
  return { intervals, work, rendered };
}

interface FrameStats {
  medianMs: number;
  p95Ms: number;
  workMs: number;
  renderedNodes: number;
}

function summarize(samples: readonly FrameSamples[]): FrameStats {
  const intervals = samples.flatMap((sample) => sample.intervals).sort((a, b) => a - b);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    medianMs: intervals[Math.floor(intervals.length / 2)]!,
    p95Ms: intervals[Math.floor(intervals.length * 0.95)]!,
    workMs: mean(samples.flatMap((sample) => sample.work)),
    renderedNodes: mean(samples.flatMap((sample) => sample.rendered)),
  };
}

const { server, url } = await startPageServer(port);
// Without a frame-rate limit, frame intervals show the work of each frame instead of the 60 Hz vsync.
const browser = await chromium.launch({ executablePath: findChromium(), args: [...chromiumArgs, "--disable-frame-rate-limit", "--disable-gpu-vsync"], headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  // tsx compiles `measure` with esbuild's keepNames, which wraps inner functions in a `__name` helper that the page lacks.
  await page.addInitScript({ content: "globalThis.__name = (target) => target;" });
  await page.goto(`${url}/?headless&cache=off`);
  await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
  await page.evaluate(([text]) => window.carryover!.open(text, "notebooks/bench-canvas.md", {}), [generatedNotebook(cellCount)] as const);
  await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: 300_000, polling: 500 });
  const failed = await page.evaluate(() => window.carryover!.results().cells.filter((cell) => cell.status !== "ok").length);
  if (failed > 0) throw new Error(`${failed} generated cells failed`);
  await page.evaluate(() => window.carryover!.page()!.setView("canvas"));
  const connectors = await page.$$eval(".canvas-connector", (groups) => groups.length);

  const rows: string[] = [];
  for (const motion of ["pan", "zoom"] as const) {
    const samples: Record<"on" | "off", FrameSamples[]> = { on: [], off: [] };
    for (let round = 0; round < rounds; round += 1) {
      // Alternating which variant goes first keeps a warm-up or a burst of load from favouring one.
      const order = round % 2 === 0 ? ([true, false] as const) : ([false, true] as const);
      for (const culling of order) samples[culling ? "on" : "off"].push(await page.evaluate(measure, [motion, culling, frameCount] as const));
    }
    const on = summarize(samples.on);
    const off = summarize(samples.off);
    const format = (stats: FrameStats, culling: string) =>
      `| ${motion} | ${culling} | ${stats.renderedNodes.toFixed(1)} | ${stats.medianMs.toFixed(1)} | ${stats.p95Ms.toFixed(1)} | ${stats.workMs.toFixed(2)} |`;
    rows.push(format(on, "on"), format(off, "off"));
    rows.push(`| ${motion} | off ÷ on | | ${(off.medianMs / on.medianMs).toFixed(2)} | ${(off.p95Ms / on.p95Ms).toFixed(2)} | ${(off.workMs / on.workMs).toFixed(2)} |`);
  }
  console.log(`${cellCount} cells, ${connectors} connectors, ${rounds} rounds of ${frameCount} frames per row, viewport 1280×900\n`);
  console.log("| motion | culling | nodes rendered per frame | frame median ms | frame p95 ms | script+layout ms per frame |");
  console.log("|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
} finally {
  await browser.close();
  await server.close();
}
