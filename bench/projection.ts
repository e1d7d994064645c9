/**
 * End-to-end projection benchmark in Node on WebGPU (the `webgpu` package, Dawn). It times our
 * GPU UMAP and GPU t-SNE, whose kNN, affinities and gradient steps run on the GPU, against
 * umap-js's `fit` on the same activations, with the same number of epochs for both UMAPs. Both
 * GPU projections use their defaults for the size, so from 5,000 points the kNN is
 * nearest-neighbour descent and the t-SNE repulsion is sampled. With `--recall yes` it also
 * measures the recall of the GPU's 15 nearest neighbours against brute force on the CPU for 200
 * seeded query points. It prints a Markdown table whose figures go into BENCHMARKS.md.
 *
 *   npx tsx bench/projection.ts [--points 10000,50000] [--dims 256] [--epochs 200]
 *                               [--iterations 300] [--umap-js yes|no] [--recall yes|no]
 */
import { create, globals } from "webgpu";
import { createGaussian } from "../src/cells/analysis/gaussian.ts";
import { createRandom } from "../src/cells/random.ts";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const sizes = option("points", "10000,50000").split(",").map(Number);
const dims = Number(option("dims", "256"));
const epochs = Number(option("epochs", "200"));
const iterations = Number(option("iterations", "300"));
const withUmapJs = option("umap-js", "yes") === "yes";
const withRecall = option("recall", "yes") === "yes";

// Dawn finds SwiftShader (Debian's chromium package) through this variable when no GPU driver is set.
process.env.VK_ICD_FILENAMES ??= "/usr/lib/chromium/vk_swiftshader_icd.json";
Object.assign(globalThis, globals);
// Kept in a module variable: if this object is garbage-collected, Dawn crashes the process.
const gpu = create([]) as GPU;
const adapter = await gpu.requestAdapter();
if (!adapter) throw new Error("no WebGPU adapter in Node: install libvulkan1 and chromium (for SwiftShader)");
const device = await adapter.requestDevice();
const { KernelContext } = await import("../src/gpu/kernels/context.ts");
const { computeGpuUmap } = await import("../src/cells/analysis/gpuUmap.ts");
const { computeGpuTsne } = await import("../src/cells/analysis/gpuTsne.ts");
const { UMAP } = await import("umap-js");
const { findNeighbours } = await import("../src/cells/analysis/neighbourSearch.ts");
const context = new KernelContext(device);
console.log(`device: ${adapter.info.vendor} ${adapter.info.architecture} (${adapter.info.description}), tiling ${context.tiling}`);

/** Dimensions of each cluster's subspace: trained layers' activations have low intrinsic dimension. */
const intrinsic = 8;

/**
 * Ten clusters in `dims` dimensions, seeded, as n × dims row-major float32: each a Gaussian in
 * its own random 8-dimensional subspace around a random centre, plus noise of standard deviation 0.1.
 */
function clusteredActivations(n: number, seed: number): Float32Array {
  const gaussian = createGaussian(createRandom(seed));
  const centres = Array.from({ length: 10 }, () => Float32Array.from({ length: dims }, () => 4 * gaussian()));
  const bases = Array.from({ length: 10 }, () => Float32Array.from({ length: intrinsic * dims }, () => gaussian()));
  const data = new Float32Array(n * dims);
  const latent = new Float64Array(intrinsic);
  for (let i = 0; i < n; i++) {
    const basis = bases[i % 10]!;
    for (let t = 0; t < intrinsic; t++) latent[t] = gaussian();
    for (let j = 0; j < dims; j++) {
      let value = centres[i % 10]![j]! + 0.1 * gaussian();
      for (let t = 0; t < intrinsic; t++) value += latent[t]! * basis[t * dims + j]!;
      data[i * dims + j] = value;
    }
  }
  return data;
}

/** Share of the true 15 nearest neighbours of 200 seeded query points that the GPU search returns. */
async function neighbourRecall(data: Float32Array, n: number): Promise<{ recall: number; search: string; seconds: number }> {
  const k = 15;
  const start = performance.now();
  const found = await findNeighbours(context, { data, rows: n, columns: dims }, k);
  const elapsed = (performance.now() - start) / 1000;
  const random = createRandom(`${n}/queries`);
  let hits = 0;
  const queries = 200;
  for (let q = 0; q < queries; q++) {
    const i = Math.floor(random() * n);
    const distances: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let sum = 0;
      for (let t = 0; t < dims; t++) sum += (data[i * dims + t]! - data[j * dims + t]!) ** 2;
      distances.push([sum, j]);
    }
    distances.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const truth = new Set(distances.slice(0, k).map(([, j]) => j));
    for (const j of found.indices.subarray(i * k, (i + 1) * k)) if (truth.has(j)) hits++;
  }
  return { recall: hits / (queries * k), search: found.search, seconds: elapsed };
}

async function seconds(body: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await body();
  return (performance.now() - start) / 1000;
}

console.log(`\n| points × dims | Carryover GPU UMAP s | Carryover GPU t-SNE s | umap-js s | umap-js / GPU UMAP | umap-js / GPU t-SNE |`);
console.log(`| --- | --- | --- | --- | --- | --- |`);
const recalls: { n: number; recall: number; search: string; seconds: number }[] = [];
for (const n of sizes) {
  const data = clusteredActivations(n, n);
  const ours = await seconds(() => computeGpuUmap(context, data, n, dims, { epochs, seed: 0 }));
  const tsne = await seconds(() => computeGpuTsne(context, data, n, dims, { iterations, seed: 0 }));
  let reference = Number.NaN;
  if (withUmapJs) {
    const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims)));
    reference = await seconds(async () => new UMAP({ nComponents: 2, nNeighbors: 15, nEpochs: epochs, random: createRandom(0) }).fit(rows));
  }
  const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "not run");
  console.log(`| ${n} × ${dims} | ${ours.toFixed(1)} | ${tsne.toFixed(1)} | ${ratio(reference)} | ${ratio(reference / ours)} | ${ratio(reference / tsne)} |`);
  if (withRecall) recalls.push({ n, ...(await neighbourRecall(data, n)) });
}
for (const { n, recall, search, seconds } of recalls) {
  console.log(`kNN recall at ${n} points (k = 15, ${search} search, ${seconds.toFixed(1)} s): ${recall.toFixed(3)} over 200 query points`);
}
console.log(`\nUMAP: ${epochs} epochs each; t-SNE: ${iterations} iterations; liveBuffers after: ${context.liveBuffers}`);
