/**
 * Kernel benchmark in Node on WebGPU (the `webgpu` package, Dawn): the correlation matrix
 * against TensorFlow.js matMul on the same GPUDevice, and GPU UMAP epochs and t-SNE steps
 * against umap-js on the same activations. Prints Markdown tables; the figures go into
 * BENCHMARKS.md.
 *
 *   npx tsx bench/kernels.ts [--neurons 4096] [--probes 2048] [--points 10000] [--dims 256]
 *                            [--epochs 20] [--repeats 1] [--product yes|no]
 *                            [--only correlation|projection]
 */
import { create, globals } from "webgpu";
import { createGaussian } from "../src/cells/analysis/gaussian.ts";
import { sparseJointProbabilities } from "../src/cells/analysis/tsneSparseAffinities.ts";
import { createRandom } from "../src/cells/random.ts";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const neurons = Number(option("neurons", "4096"));
const probes = Number(option("probes", "2048"));
const points = Number(option("points", "10000"));
const dims = Number(option("dims", "256"));
const epochs = Number(option("epochs", "20"));
const only = option("only", "all");
const repeats = Number(option("repeats", "1"));
const productOnly = option("product", "yes") === "yes";

// Dawn finds SwiftShader (Debian's chromium package) through this variable when no GPU driver is set.
process.env.VK_ICD_FILENAMES ??= "/usr/lib/chromium/vk_swiftshader_icd.json";
Object.assign(globalThis, globals);
// Kept in a module variable: if this object is garbage-collected, Dawn crashes the process.
const gpu = create([]) as GPU;
Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true });

const tf = await import("@tensorflow/tfjs");
await import("@tensorflow/tfjs-backend-webgpu");
const { KernelContext } = await import("../src/gpu/kernels/context.ts");
const { correlationMatrix } = await import("../src/gpu/kernels/correlation.ts");
const { encodeTiledPairs } = await import("../src/gpu/kernels/tiledPairs.ts");
const { kNearestNeighbours } = await import("../src/gpu/kernels/knn.ts");
const { UmapLayout } = await import("../src/gpu/kernels/umapLayout.ts");
const { TsneLayout } = await import("../src/gpu/kernels/tsneLayout.ts");
const { UMAP } = await import("umap-js");

if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs-backend-webgpu did not start in Node");
await tf.ready();
// Both sides run on the one device that TensorFlow.js opened.
const device = (tf.backend() as unknown as { device: GPUDevice }).device;
const adapterInfo = (await gpu.requestAdapter())?.info;
console.log(`device: tiling ${new KernelContext(device).tiling}, ${adapterInfo?.vendor ?? "?"} ${adapterInfo?.architecture ?? "?"} (${adapterInfo?.description ?? ""})`);
const context = new KernelContext(device);

function gaussianMatrix(rows: number, columns: number, seed: number): Float32Array {
  const gaussian = createGaussian(createRandom(seed));
  const data = new Float32Array(rows * columns);
  for (let i = 0; i < data.length; i++) data[i] = gaussian();
  return data;
}

async function time(body: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await body();
  return (performance.now() - start) / 1000;
}

/** Runs `body` `repeats` times and returns the best time in seconds. */
async function best(body: () => Promise<unknown>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) fastest = Math.min(fastest, await time(body));
  return fastest;
}

async function benchCorrelation(size: number, depth: number, print: boolean): Promise<void> {
  const source = gaussianMatrix(depth, size, 1);
  const target = gaussianMatrix(depth, size, 2);
  const [probes, neurons] = [depth, size];
  const log = print ? console.log : () => {};
  log(`\ncorrelation: ${neurons} × ${neurons} neurons over ${probes} probes (best of ${repeats} after a warm-up at 256 × 128; upload and readback included)\n`);
  log("| work | Carryover kernel s | tfjs s | tfjs / Carryover |");
  log("|---|---|---|---|");

  const ours = await best(() => correlationMatrix(context, { data: source, rows: probes, columns: neurons }, { data: target, rows: probes, columns: neurons }));
  if (print) console.error(`Carryover full correlation: ${ours.toFixed(2)} s`);
  const theirs = await best(async () => {
    const [a, b] = [tf.tensor2d(source, [probes, neurons]), tf.tensor2d(target, [probes, neurons])];
    const standardise = (x: typeof a) =>
      tf.tidy(() => {
        const centred = x.sub(x.mean(0));
        return centred.div(centred.square().sum(0).sqrt());
      });
    const [sa, sb] = [standardise(a), standardise(b)];
    const product = tf.matMul(sa, sb, true, false);
    await product.data();
    tf.dispose([a, b, sa, sb, product]);
  });
  log(`| full correlation (standardise + Zₛᵀ·Zₜ) | ${ours.toFixed(2)} | ${theirs.toFixed(2)} | ${(theirs / ours).toFixed(2)} |`);

  if (!productOnly) return;
  const oursProduct = await best(() =>
    context.scoped(async (scope) => {
      const left = scope.buffer(source.byteLength, source);
      const right = scope.buffer(target.byteLength, target);
      const product = encodeTiledPairs(scope, "product", "columns", left, right, { depth: probes, a: neurons, b: neurons });
      return scope.readFloat32(product, neurons * neurons);
    }),
  );
  const theirsProduct = await best(async () => {
    const [a, b] = [tf.tensor2d(source, [probes, neurons]), tf.tensor2d(target, [probes, neurons])];
    const product = tf.matMul(a, b, true, false);
    await product.data();
    tf.dispose([a, b, product]);
  });
  log(`| product only (Aᵀ·B) | ${oursProduct.toFixed(2)} | ${theirsProduct.toFixed(2)} | ${(theirsProduct / oursProduct).toFixed(2)} |`);
}

async function reportLeaks(): Promise<void> {
  console.log(`\nlive kernel buffers after: ${context.liveBuffers}; tfjs tensors after: ${tf.memory().numTensors}`);
}

async function benchProjection(): Promise<void> {
  const data = gaussianMatrix(points, dims, 3);
  // Ten clusters, so the neighbour graph has structure.
  for (let i = 0; i < points; i++) data[i * dims + (i % 10)]! += 6;
  console.log(`\nprojection: ${points} points × ${dims} dimensions, ${epochs} epochs or iterations\n`);
  console.log("| step | Carryover GPU s | umap-js s | umap-js / Carryover |");
  console.log("|---|---|---|---|");

  const rows: number[][] = [];
  for (let i = 0; i < points; i++) rows.push(Array.from(data.subarray(i * dims, (i + 1) * dims)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: 15, nEpochs: 200, random: createRandom(0) });
  const umapGraph = await time(async () => umap.initializeFit(rows));
  const ourKnn = await time(() => kNearestNeighbours(context, { data, rows: points, columns: dims }, 15));
  console.log(`| 15 nearest neighbours (ours exact, umap-js NN-descent + fuzzy graph) | ${ourKnn.toFixed(2)} | ${umapGraph.toFixed(2)} | ${(umapGraph / ourKnn).toFixed(2)} |`);

  const state = (umap as unknown as { optimizationState: { head: number[]; tail: number[]; epochsPerSample: number[] } }).optimizationState;
  const umapEpochs = await time(async () => {
    for (let epoch = 0; epoch < epochs; epoch++) umap.step();
  });
  // The same graph in compressed sparse rows: umap-js stores each edge in both directions.
  const rowStarts = new Uint32Array(points + 1);
  for (const head of state.head) rowStarts[head + 1]!++;
  for (let i = 0; i < points; i++) rowStarts[i + 1]! += rowStarts[i]!;
  const fill = rowStarts.slice(0, points);
  const columns = new Uint32Array(state.head.length);
  const epochsPerSample = new Float32Array(state.head.length);
  state.head.forEach((head, e) => {
    const slot = fill[head]!++;
    columns[slot] = state.tail[e]!;
    epochsPerSample[slot] = state.epochsPerSample[e]!;
  });
  const layout = new UmapLayout(context, { n: points, rowStarts, columns, epochsPerSample }, gaussianMatrix(points, 2, 4).map((v) => v * 10));
  await layout.epochs(0, 1, 200);
  const ourEpochs = await time(async () => {
    await layout.epochs(1, 1 + epochs, 200);
    await layout.read();
  });
  layout.dispose();
  console.log(`| UMAP, ${epochs} epochs | ${ourEpochs.toFixed(2)} | ${umapEpochs.toFixed(2)} | ${(umapEpochs / ourEpochs).toFixed(2)} |`);

  const neighbours = await kNearestNeighbours(context, { data, rows: points, columns: dims }, 90);
  const affinities = sparseJointProbabilities(neighbours.indices, neighbours.distances, points, 90, 30);
  const tsne = new TsneLayout(context, affinities, gaussianMatrix(points, 2, 5).map((v) => v * 1e-2));
  await tsne.step({ exaggeration: 12, momentum: 0.5, learningRate: points / 48 }, 1);
  const tsneSteps = await time(async () => {
    await tsne.step({ exaggeration: 12, momentum: 0.5, learningRate: points / 48 }, epochs);
    await tsne.read();
  });
  tsne.dispose();
  console.log(`| exact t-SNE (O(n²) repulsion), ${epochs} iterations | ${tsneSteps.toFixed(2)} | n/a | n/a |`);
  console.log(`\nlive kernel buffers after: ${context.liveBuffers}`);
}

if (only === "all" || only === "correlation") {
  // The warm-up compiles every program on both sides at a small size.
  await benchCorrelation(256, 128, false);
  await benchCorrelation(neurons, probes, true);
  await reportLeaks();
}
if (only === "all" || only === "projection") await benchProjection();
context.dispose();
process.exit(0);
