import type { RunState } from "../training/types.ts";
import { InputError } from "../errors.ts";
import { projectEpoch } from "./projection.ts";

export interface RunProjection {
  method: "tsne" | "umap";
  /** One n × 2 layout per snapshot projected so far, row-major. */
  layouts: Float32Array[];
  /** True once every snapshot of a finished run has a layout. */
  complete: boolean;
  /** Set while a layout is being computed: which epoch, and how far along. */
  computing?: { epoch: number; iteration: number; iterations: number };
}

/** Iterations between pauses for the event loop, so the page keeps drawing during t-SNE. */
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
 * Projects the probe activations of every snapshot to 2-D with t-SNE or UMAP. Epoch 0 starts
 * from a seeded random layout. Each later t-SNE layout starts from the previous one, and both
 * methods' layouts are rotated onto the previous one, so points move smoothly between epochs.
 * Yields progress while it works.
 */
export async function* projectRun(
  run: RunState,
  options: { method?: string; seed?: number } = {},
): AsyncGenerator<RunProjection, void, undefined> {
  const method = options.method ?? "tsne";
  if (method !== "tsne" && method !== "umap") {
    throw new InputError(`invalid projection method: ${JSON.stringify(method)} (expected "tsne" or "umap")`, { field: "projection", value: method });
  }
  const seed = options.seed ?? 0;
  const layouts: Float32Array[] = [];
  const finished = run.status !== "running";
  for (const snapshot of run.snapshots) {
    const { activations, dimension } = snapshot.probe;
    const previous = layouts.at(-1);
    // The key names the whole chain: a layout depends on every earlier epoch's layout.
    const key = `${method}:${seed}:${layouts.length}`;
    let layout = cached(activations, key);
    if (!layout) {
      const n = activations.length / dimension;
      const steps = projectEpoch(activations, n, dimension, { method, seed }, previous);
      yield { method, layouts: [...layouts], complete: false, computing: { epoch: snapshot.epoch, iteration: 0, iterations: 0 } };
      let step = steps.next();
      while (!step.done) {
        // Pausing without yielding keeps the page responsive without redrawing dependents.
        if (step.value.iteration % iterationsPerPause === 0) await new Promise((resolve) => setTimeout(resolve, 0));
        step = steps.next();
      }
      layout = step.value;
      store(activations, key, layout);
    }
    layouts.push(layout);
  }
  yield { method, layouts, complete: finished };
}
