/**
 * End-to-end projection benchmark. It times our GPU UMAP and GPU t-SNE, whose kNN, affinities
 * and gradient steps run on WebGPU, against umap-js's `fit` on the CPU on the same seeded
 * activations, with the same number of epochs for both UMAPs. Both GPU projections use their
 * defaults for the size, so from 5,000 points the kNN is nearest-neighbour descent, and from
 * 8,000 the t-SNE repulsion is sampled. With `--recall yes` it also measures the recall of the
 * GPU's 15 nearest neighbours against brute force on the CPU for 200 seeded query points. It
 * prints a Markdown table whose figures go into BENCHMARKS.md.
 *
 * By default (`--in chromium`) everything runs in one headless Chromium page (bench/projection.html,
 * served by vite on 127.0.0.1 at `--port`): the GPU projections on the page's `navigator.gpu`
 * device (SwiftShader where no GPU exists) and umap-js on the page's main thread. `--in node`
 * runs the same code in this Node process on the `webgpu` package (Dawn) over SwiftShader.
 *
 *   npx tsx bench/projection.ts [--in chromium|node] [--points 10000,50000] [--dims 256]
 *                               [--epochs 200] [--iterations 300] [--tsne yes|no] [--umap-js yes|no]
 *                               [--recall yes|no] [--port 4323]
 */
import type { ProjectionBenchRequest, ProjectionBenchResult } from "./projectionBench.ts";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

function wholeNumber(name: string, fallback: string, example: string): number {
  const value = Number(option(name, fallback));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`invalid --${name}: ${option(name, fallback)} (expected a whole number such as ${example})`);
  return value;
}

function yesNo(name: string): boolean {
  const value = option(name, "yes");
  if (value !== "yes" && value !== "no") throw new Error(`invalid --${name}: ${value} (expected yes or no)`);
  return value === "yes";
}

const environment = option("in", "chromium");
if (environment !== "chromium" && environment !== "node") throw new Error(`invalid --in: ${environment} (expected chromium or node)`);
const sizes = option("points", "10000,50000").split(",").map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n <= 1)) throw new Error(`invalid --points: ${option("points", "")} (expected whole numbers above 1 such as 10000,50000)`);
const settings = {
  dims: wholeNumber("dims", "256", "256"),
  epochs: wholeNumber("epochs", "200", "200"),
  iterations: wholeNumber("iterations", "300", "300"),
  tsne: yesNo("tsne"),
  umapJs: yesNo("umap-js"),
  recall: yesNo("recall"),
};
const port = Number(option("port", "4323"));
if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid --port: ${option("port", "")} (expected a TCP port such as 4323)`);

/** Function that runs one size of the benchmark and returns its figures. */
type Runner = (request: ProjectionBenchRequest) => Promise<ProjectionBenchResult>;

/** Serves bench/projection.html with vite and runs each size in one headless Chromium page. */
async function inChromium(body: (run: Runner, describe: string) => Promise<void>): Promise<void> {
  const { chromium } = await import("playwright-core");
  const { chromiumArgs, findChromium } = await import("../src/cli/chromium.ts");
  const { startPageServer } = await import("../src/cli/serve.ts");
  const { server, url } = await startPageServer(port);
  // The GPU watchdog is off so that a long software dispatch cannot make Chromium restart the
  // GPU process, which would lose the device in the middle of a run.
  // NOTE: only 2,000 points have run in Chromium so far. Whether umap-js blocking the page's main
  // thread for many minutes at 50,000 points goes through unharmed is untested.
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...chromiumArgs, "--disable-gpu-watchdog"], headless: true });
  try {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") console.error(`page: ${message.text()}`);
    });
    page.on("crash", () => console.error("page crashed"));
    await page.goto(`${url}/bench/projection.html`, { timeout: 120_000 });
    await page.waitForFunction(() => Boolean(window.benchProjection), null, { timeout: 120_000 });
    // page.evaluate has no timeout in playwright-core (1.65 passes kNoTimeout), so it waits for a
    // size that takes tens of minutes on software WebGPU.
    const run: Runner = (request) => page.evaluate((r) => window.benchProjection!(r), request);
    await body(run, `headless Chromium ${browser.version()}, WebGPU from navigator.gpu`);
  } finally {
    await browser.close();
    await server.close();
  }
}

let nodeGpu: GPU | undefined;

/** Runs each size in this process on the `webgpu` package. */
async function inNode(body: (run: Runner, describe: string) => Promise<void>): Promise<void> {
  const { create, globals } = await import("webgpu");
  const { version } = (await import("webgpu/package.json", { with: { type: "json" } })).default;
  // Dawn finds SwiftShader (Debian's chromium package) through this variable when no GPU driver is set.
  process.env.VK_ICD_FILENAMES ??= "/usr/lib/chromium/vk_swiftshader_icd.json";
  Object.assign(globalThis, globals);
  // Kept in a module variable: if this object is garbage-collected, Dawn crashes the process.
  nodeGpu = create([]) as GPU;
  const adapter = await nodeGpu.requestAdapter();
  if (!adapter) throw new Error("no WebGPU adapter in Node: install libvulkan1 and chromium (for SwiftShader)");
  const device = await adapter.requestDevice();
  const { KernelContext } = await import("../src/gpu/kernels/context.ts");
  const { benchProjection, describeAdapter } = await import("./projectionBench.ts");
  const context = new KernelContext(device);
  await body((request) => benchProjection(context, describeAdapter(adapter.info), request), `Node ${process.version}, webgpu package ${version} (Dawn)`);
}

const { tableHeader, tableNotes, tableRow } = await import("./projectionBench.ts");
const results: ProjectionBenchResult[] = [];
await (environment === "chromium" ? inChromium : inNode)(async (run, describe) => {
  console.log(`environment: ${describe}\n`);
  for (const line of tableHeader) console.log(line);
  for (const points of sizes) {
    const result = await run({ points, ...settings });
    results.push(result);
    console.log(tableRow(result));
  }
});
for (const line of tableNotes(results, settings)) console.log(line);
