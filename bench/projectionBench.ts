// One size of the projection benchmark, shared by bench/projection.ts in Node and by
// bench/projectionPage.ts in Chromium. Both therefore time the same seeded activations in the
// same way (GPU UMAP, GPU t-SNE, umap-js `fit` and the kNN recall) and print the same table.
import { UMAP } from "umap-js";
import { createGaussian } from "../src/cells/analysis/gaussian.ts";
import { computeGpuTsne, sampledRepulsionFrom } from "../src/cells/analysis/gpuTsne.ts";
import { computeGpuUmap } from "../src/cells/analysis/gpuUmap.ts";
import { approximateFrom, findNeighbours } from "../src/cells/analysis/neighbourSearch.ts";
import { createRandom } from "../src/cells/random.ts";
import type { KernelContext } from "../src/gpu/kernels/context.ts";

export interface ProjectionBenchRequest {
  points: number;
  dims: number;
  /** Epochs of both UMAPs. */
  epochs: number;
  /** Gradient iterations of the GPU t-SNE. */
  iterations: number;
  /** Also time the GPU t-SNE. */
  tsne: boolean;
  /** Also time umap-js `fit` on the CPU. */
  umapJs: boolean;
  /** Also measure the recall of the GPU's 15 nearest neighbours against brute force on the CPU. */
  recall: boolean;
}

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

export interface NeighbourRecall {
  /** Share of the true 15 nearest neighbours that the GPU search returned, over 200 query points. */
  recall: number;
  search: "exact" | "approximate";
  /** Time of the GPU search alone. */
  seconds: number;
}

export interface ProjectionBenchResult {
  points: number;
  dims: number;
  umapSeconds: number;
  /** Null when the GPU t-SNE was not run. */
  tsneSeconds: number | null;
  /** Null when umap-js was not run. */
  umapJsSeconds: number | null;
  /** The kNN search that both GPU projections chose by default for this size. */
  neighbourSearch: "exact" | "approximate";
  /** The t-SNE repulsion chosen by default for this size. */
  repulsion: "exact" | "sampled";
  recall: NeighbourRecall | null;
  adapter: AdapterDescription;
  tiling: string;
  /** `KernelContext.liveBuffers` after this size's runs; 0 unless a kernel leaked a buffer. */
  liveBuffers: number;
}

/** Neighbourhood size of umap-js and of the recall check, counting the point itself for umap-js. */
const neighbours = 15;

/** Dimensions of each cluster's subspace: trained layers' activations have low intrinsic dimension. */
const intrinsic = 8;

/**
 * Ten clusters in `dims` dimensions, seeded, as n × dims row-major float32: each a Gaussian in
 * its own random 8-dimensional subspace around a random centre, plus noise of standard deviation 0.1.
 */
export function clusteredActivations(n: number, dims: number, seed: number): Float32Array {
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
export async function neighbourRecall(context: KernelContext, data: Float32Array, n: number, dims: number): Promise<NeighbourRecall> {
  const k = neighbours;
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

/**
 * Generates the activations for one size (seeded by the point count) and times GPU UMAP, GPU
 * t-SNE and, if requested, umap-js `fit` on them, one after the other.
 */
export async function benchProjection(context: KernelContext, adapter: AdapterDescription, request: ProjectionBenchRequest): Promise<ProjectionBenchResult> {
  const { points: n, dims, epochs, iterations } = request;
  const data = clusteredActivations(n, dims, n);
  const umapSeconds = await seconds(() => computeGpuUmap(context, data, n, dims, { epochs, seed: 0 }));
  const tsneSeconds = request.tsne ? await seconds(() => computeGpuTsne(context, data, n, dims, { iterations, seed: 0 })) : null;
  let umapJsSeconds: number | null = null;
  if (request.umapJs) {
    const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims)));
    umapJsSeconds = await seconds(async () => new UMAP({ nComponents: 2, nNeighbors: neighbours, nEpochs: epochs, random: createRandom(0) }).fit(rows));
  }
  const recall = request.recall ? await neighbourRecall(context, data, n, dims) : null;
  return {
    points: n,
    dims,
    umapSeconds,
    tsneSeconds,
    umapJsSeconds,
    // The projections' default search and repulsion ("auto") choose by these thresholds.
    neighbourSearch: n >= approximateFrom ? "approximate" : "exact",
    repulsion: n >= sampledRepulsionFrom ? "sampled" : "exact",
    recall,
    adapter,
    tiling: context.tiling,
    liveBuffers: context.liveBuffers,
  };
}

/** Copies the fields of a GPUAdapterInfo, which does not survive structured cloning or JSON. */
export function describeAdapter(info: GPUAdapterInfo): AdapterDescription {
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
}

export const tableHeader = [
  "| points × dims | Carryover GPU UMAP s | Carryover GPU t-SNE s | umap-js s | umap-js / GPU UMAP | umap-js / GPU t-SNE |",
  "| --- | --- | --- | --- | --- | --- |",
];

export function tableRow(result: ProjectionBenchResult): string {
  const { points, dims, umapSeconds, tsneSeconds, umapJsSeconds } = result;
  const ratio = (value: number | null) => (value === null ? "not run" : value.toFixed(2));
  const relative = (ours: number | null) => ratio(umapJsSeconds === null || ours === null ? null : umapJsSeconds / ours);
  return `| ${points} × ${dims} | ${umapSeconds.toFixed(1)} | ${tsneSeconds === null ? "not run" : tsneSeconds.toFixed(1)} | ${ratio(umapJsSeconds)} | ${relative(umapSeconds)} | ${relative(tsneSeconds)} |`;
}

/** Lines after the table: per size the search, repulsion and recall, then the adapter and the run's settings. */
export function tableNotes(results: ProjectionBenchResult[], request: Pick<ProjectionBenchRequest, "epochs" | "iterations">): string[] {
  const lines = [""];
  for (const { points, neighbourSearch, repulsion, recall } of results) {
    let line = `${points} points: ${neighbourSearch} kNN, ${repulsion} t-SNE repulsion`;
    if (recall) line += `; kNN recall (k = ${neighbours}, ${recall.search} search, ${recall.seconds.toFixed(1)} s): ${recall.recall.toFixed(3)} over 200 query points`;
    lines.push(line);
  }
  const last = results.at(-1);
  if (!last) return lines;
  const { vendor, architecture, device, description } = last.adapter;
  lines.push(`\nadapter: ${[vendor, architecture, device, description].filter(Boolean).join(", ")}; all-pairs kernels tiled by ${last.tiling}`);
  lines.push(`UMAP: ${request.epochs} epochs each; t-SNE: ${request.iterations} iterations; liveBuffers after: ${last.liveBuffers}`);
  return lines;
}
