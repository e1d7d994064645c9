import type * as tf from "@tensorflow/tfjs";
import type { KernelContext } from "../../gpu/kernels/context.ts";
import type { ProbeSet } from "../training/probe.ts";
import type { RunState } from "../training/types.ts";
import { InputError } from "../errors.ts";
import type { AnalysisKernels } from "./analysisKernels.ts";
import { iterateGpuTsne } from "./gpuTsne.ts";
import { iterateGpuUmap } from "./gpuUmap.ts";
import { alignProcrustes } from "./procrustes.ts";
import { alignedTsneIterations, alignedUmapEpochs, alignedUmapLearningRate, projectEpoch } from "./projection.ts";
import { SnapshotLayer } from "./snapshotLayer.ts";

export interface RunProjection {
  method: "tsne" | "umap";
  /** Layer whose probe activations were projected. */
  layer: string;
  /** Device that computed the layouts: the WGSL kernels on WebGPU, or TypeScript and umap-js on the CPU. */
  computedOn: "webgpu" | "cpu";
  /** One n × 2 layout per snapshot projected so far, row-major. */
  layouts: Float32Array[];
  /** True once every snapshot of a finished run has a layout. */
  complete: boolean;
  /** Set while a layout is being computed: which epoch, and how far along. */
  computing?: { epoch: number; iteration: number; iterations: number };
}

export interface ProjectRunOptions {
  /** "tsne" (default) or "umap". */
  method?: string;
  seed?: number;
  /**
   * The notebook's analysis kernels. On WebGPU the layouts are computed there (kNN, affinities
   * and gradient steps on the GPU); without them, or with the reference kernels, on the CPU.
   */
  kernels?: Pick<AnalysisKernels, "kind" | "context">;
  /** Layer to project; default the layer the snapshots recorded (`run.params.probeLayer`). */
  layer?: string;
  /** Source model and probe set, needed only when `layer` is not the recorded one. */
  model?: tf.LayersModel;
  probe?: ProbeSet;
}

/** Progress steps between pauses for the event loop, so the page keeps drawing during a CPU layout. */
const iterationsPerPause = 25;

/**
 * Layouts already computed, keyed by the activations they came from. A run yields a new
 * state after each epoch, and the projection cell re-runs each time. The cache makes that
 * cost one new layout per epoch instead of recomputing every earlier epoch again.
 */
const layoutCache = new WeakMap<Float32Array, Map<string, Float32Array>>();

function cached(activations: Float32Array, key: string): Float32Array | undefined {
  return layoutCache.get(activations)?.get(key);
}

function store(activations: Float32Array, key: string, layout: Float32Array): void {
  let byKey = layoutCache.get(activations);
  if (!byKey) layoutCache.set(activations, (byKey = new Map()));
  byKey.set(key, layout);
}

/**
 * Projects one layer's probe activations at every snapshot to 2-D with t-SNE or UMAP. Epoch 0
 * starts from a seeded random layout. Each later layout starts from the previous one (on the
 * CPU only t-SNE's does, as umap-js cannot), and is rotated onto it, so points move smoothly
 * between epochs. With WebGPU kernels, the GPU t-SNE and UMAP compute the layouts. Yields
 * progress while it works; closing the generator early frees the GPU buffers.
 */
export async function* projectRun(run: RunState, options: ProjectRunOptions = {}): AsyncGenerator<RunProjection, void, undefined> {
  const method = options.method ?? "tsne";
  if (method !== "tsne" && method !== "umap") {
    throw new InputError(`invalid projection method: ${JSON.stringify(method)} (expected "tsne" or "umap")`, { field: "projection", value: method });
  }
  const seed = options.seed ?? 0;
  const context = options.kernels?.kind === "webgpu" ? options.kernels.context : undefined;
  const computedOn = context ? "webgpu" : "cpu";
  const source = new SnapshotLayer(options.layer ?? run.params.probeLayer, run.params.probeLayer, options.model, options.probe);
  const { layer } = source;
  const layouts: Float32Array[] = [];
  const finished = run.status !== "running";
  try {
    for (const snapshot of run.snapshots) {
      const { activations, dimension } = await source.at(snapshot);
      const previous = layouts.at(-1);
      // The key names the whole chain: a layout depends on every earlier epoch's layout.
      const key = `${computedOn}:${method}:${seed}:${layouts.length}`;
      let layout = cached(activations, key);
      if (!layout) {
        yield { method, layer, computedOn, layouts: [...layouts], complete: false, computing: { epoch: snapshot.epoch, iteration: 0, iterations: 0 } };
        const n = activations.length / dimension;
        const settings = { method, seed, previous } as const;
        layout = context ? await gpuLayout(context, activations, n, dimension, settings) : await cpuLayout(activations, n, dimension, settings);
        store(activations, key, layout);
      }
      layouts.push(layout);
    }
  } finally {
    await source.dispose();
  }
  yield { method, layer, computedOn, layouts, complete: finished };
}

interface EpochSettings {
  method: "tsne" | "umap";
  seed: number;
  previous: Float32Array | undefined;
}

/** Runs the CPU t-SNE or umap-js, pausing for the event loop every few steps. */
async function cpuLayout(activations: Float32Array, n: number, d: number, { method, seed, previous }: EpochSettings): Promise<Float32Array> {
  const steps = projectEpoch(activations, n, d, { method, seed }, previous);
  let step = steps.next();
  while (!step.done) {
    // Pausing without yielding keeps the page responsive without redrawing dependents.
    if (step.value.iteration % iterationsPerPause === 0) await pause();
    step = steps.next();
  }
  return step.value;
}

/**
 * Runs the GPU t-SNE or UMAP from the previous layout, with fewer iterations (and for UMAP a
 * lower learning rate) then, and aligns
 * the result onto it. Pauses for the event loop at each progress report. The generator frees
 * its buffers when it finishes or throws.
 */
async function gpuLayout(context: KernelContext, activations: Float32Array, n: number, d: number, { method, seed, previous }: EpochSettings): Promise<Float32Array> {
  const steps =
    method === "tsne"
      ? iterateGpuTsne(context, activations, n, d, { seed, init: previous, iterations: previous ? alignedTsneIterations : undefined })
      : iterateGpuUmap(context, activations, n, d, previous ? { seed, init: previous, epochs: alignedUmapEpochs, learningRate: alignedUmapLearningRate } : { seed });
  let step = await steps.next();
  while (!step.done) {
    await pause();
    step = await steps.next();
  }
  return previous ? alignProcrustes(step.value, previous).aligned : step.value;
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
