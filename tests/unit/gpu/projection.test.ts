import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { computeGpuTsne, iterateGpuTsne } from "../../../src/cells/analysis/gpuTsne.ts";
import { computeGpuUmap } from "../../../src/cells/analysis/gpuUmap.ts";
import { fuzzyNeighbourGraph } from "../../../src/cells/analysis/umapGraph.ts";
import { gaussianMatrix, kernelContext, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

const perCluster = 40;
const n = 3 * perCluster;
const d = 12;
/** Three clusters of 40 points in 12 dimensions, 12 apart along their own axis. */
const clusters = gaussianMatrix(n, d, 1).map((value, index) => value + (Math.floor(index / d) % 3 === index % d ? 12 : 0));

/** Fraction of points whose nearest other point in the layout belongs to their cluster. */
function nearestAgreement(layout: Float32Array): number {
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const distance = Math.hypot(layout[2 * i]! - layout[2 * j]!, layout[2 * i + 1]! - layout[2 * j + 1]!);
      if (j !== i && distance < bestDistance) [best, bestDistance] = [j, distance];
    }
    if (best % 3 === i % 3) agree++;
  }
  return agree / n;
}

function meanMove(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.hypot(a[2 * i]! - b[2 * i]!, a[2 * i + 1]! - b[2 * i + 1]!) / n;
  return sum;
}

function spread(layout: Float32Array): number {
  return meanMove(layout, new Float32Array(2 * n));
}

describe("GPU projections", { timeout: gpuTestTimeout }, () => {
  test("t-SNE separates clusters and continues from init", async () => {
    const layout = await computeGpuTsne(context, clusters, n, d, { iterations: 300, seed: 2 });
    expect(nearestAgreement(layout)).toBeGreaterThan(0.95);
    const continued = await computeGpuTsne(context, clusters, n, d, { iterations: 50, init: layout });
    expect(meanMove(continued, layout)).toBeLessThan(0.1 * spread(layout));
  });

  test("t-SNE closed early frees its buffers", async () => {
    const steps = iterateGpuTsne(context, clusters, n, d, { iterations: 100 });
    await steps.next();
    await steps.next();
    await steps.return(new Float32Array(0));
  });

  test("UMAP separates clusters and continues from init", async () => {
    const layout = await computeGpuUmap(context, clusters, n, d, { epochs: 200, seed: 3 });
    expect(nearestAgreement(layout)).toBeGreaterThan(0.95);
    const continued = await computeGpuUmap(context, clusters, n, d, { epochs: 30, init: layout, seed: 3 });
    const fresh = await computeGpuUmap(context, clusters, n, d, { epochs: 30, seed: 4 });
    // Continuing keeps points near their places, while a random start lands them elsewhere.
    expect(meanMove(continued, layout)).toBeLessThan(0.3 * spread(layout));
    expect(meanMove(fresh, layout)).toBeGreaterThan(0.6 * spread(layout));
  });

  test("fuzzy graph is symmetric with unit heaviest weight", () => {
    // Points 0, 1, 2 on a line; each point's one neighbour.
    const graph = fuzzyNeighbourGraph(Uint32Array.from([1, 0, 1]), [1, 1, 4], 3, 1, 100);
    expect(Array.from(graph.rowStarts)).toEqual([0, 1, 3, 4]);
    expect(Array.from(graph.columns)).toEqual([1, 0, 2, 1]);
    expect(Array.from(graph.epochsPerSample)).toEqual([1, 1, 1, 1]);
  });

  test("tiny inputs return without the GPU", async () => {
    expect(Array.from(await computeGpuTsne(context, new Float32Array([4, 5]), 1, 2))).toEqual([0, 0]);
    expect(Array.from(await computeGpuUmap(context, new Float32Array([4, 5]), 2, 1))).toEqual([0, 0, 0, 0]);
  });
});
