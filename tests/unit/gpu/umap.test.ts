import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { kNearestNeighbours } from "../../../src/gpu/kernels/knn.ts";
import { UmapLayout, type UmapGraph } from "../../../src/gpu/kernels/umapLayout.ts";
import { pcgHash, referenceUmapEpochs } from "../../../src/cells/analysis/reference/umapEpochs.ts";
import { gaussianMatrix, kernelContext, maxAbsoluteDifference, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

/** A symmetric kNN graph whose edge periods grow with the neighbour's rank, like UMAP's weights do. */
async function knnGraph(points: Float32Array, n: number, d: number, k: number): Promise<UmapGraph> {
  const { indices } = await kNearestNeighbours(context, { data: points, rows: n, columns: d }, k);
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let slot = 0; slot < k; slot++) {
      const j = indices[i * k + slot]!;
      const period = 1 + slot * 0.7;
      rows[i]!.set(j, Math.min(rows[i]!.get(j) ?? Infinity, period));
      rows[j]!.set(i, Math.min(rows[j]!.get(i) ?? Infinity, period));
    }
  }
  const rowStarts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) rowStarts[i + 1] = rowStarts[i]! + rows[i]!.size;
  const columns = new Uint32Array(rowStarts[n]!);
  const epochsPerSample = new Float32Array(rowStarts[n]!);
  rows.forEach((row, i) => [...row.entries()].forEach(([j, period], offset) => {
    columns[rowStarts[i]! + offset] = j;
    epochsPerSample[rowStarts[i]! + offset] = period;
  }));
  return { n, rowStarts, columns, epochsPerSample };
}

const settings = { a: 1.577, b: 0.8951, repulsionStrength: 1, negativeSampleRate: 5, seed: 7, initialLearningRate: 1 };

describe("UmapLayout", { timeout: gpuTestTimeout }, () => {
  test("hash matches independent values", () => {
    // Computed with Python integers from the same definition, modulo 2³².
    expect(pcgHash(0)).toBe(129708002);
    expect(pcgHash(1)).toBe(2831084092);
    expect(pcgHash(123456789)).toBe(4272394698);
  });

  test("epochs match reference off the workgroup size", async () => {
    const n = 101;
    const graph = await knnGraph(gaussianMatrix(n, 5, 1), n, 5, 6);
    const initial = gaussianMatrix(n, 2, 2).map((value) => value * 5);
    const umap = new UmapLayout(context, graph, initial, settings);
    try {
      await umap.epochs(0, 6, 50, settings.initialLearningRate);
      const gpu = await umap.read();
      const reference = referenceUmapEpochs(graph, initial, 0, 6, 50, settings);
      expect(maxAbsoluteDifference(gpu, initial)).toBeGreaterThan(0.5);
      // Forces are clipped to 4 per term and summed over about 50 terms per epoch; float32 stays within 1e-3.
      expect(maxAbsoluteDifference(gpu, reference)).toBeLessThan(1e-3);
    } finally {
      umap.dispose();
    }
  });

  test("duplicate points get finite positions", async () => {
    const graph: UmapGraph = { n: 3, rowStarts: new Uint32Array([0, 1, 2, 2]), columns: new Uint32Array([1, 0]), epochsPerSample: new Float32Array([1, 1]) };
    const initial = new Float32Array([1, 1, 1, 1, 3, 3]);
    const umap = new UmapLayout(context, graph, initial, settings);
    await umap.epochs(0, 3, 10);
    const gpu = await umap.read();
    umap.dispose();
    expect(gpu.every(Number.isFinite)).toBe(true);
    expect(maxAbsoluteDifference(gpu, referenceUmapEpochs(graph, initial, 0, 3, 10, settings))).toBeLessThan(1e-4);
  });

  test("pulls clusters apart", async () => {
    const perCluster = 30;
    const n = 2 * perCluster;
    const points = gaussianMatrix(n, 4, 3);
    for (let i = 0; i < n; i++) points[i * 4]! += i % 2 === 0 ? 10 : -10;
    const graph = await knnGraph(points, n, 4, 8);
    const umap = new UmapLayout(context, graph, gaussianMatrix(n, 2, 4).map((value) => value * 5), settings);
    await umap.epochs(0, 200, 200);
    const layout = await umap.read();
    umap.dispose();
    const centre = (parity: number) => {
      let x = 0;
      let y = 0;
      for (let i = parity; i < n; i += 2) [x, y] = [x + layout[2 * i]! / perCluster, y + layout[2 * i + 1]! / perCluster];
      return [x, y] as const;
    };
    const spread = (parity: number, [cx, cy]: readonly [number, number]) => {
      let sum = 0;
      for (let i = parity; i < n; i += 2) sum += Math.hypot(layout[2 * i]! - cx, layout[2 * i + 1]! - cy) / perCluster;
      return sum;
    };
    const even = centre(0);
    const odd = centre(1);
    expect(Math.hypot(even[0] - odd[0], even[1] - odd[1])).toBeGreaterThan(2 * Math.max(spread(0, even), spread(1, odd)));
  });

  test("rejects a period of zero", () => {
    const graph: UmapGraph = { n: 2, rowStarts: new Uint32Array([0, 1, 2]), columns: new Uint32Array([1, 0]), epochsPerSample: new Float32Array([1, 0]) };
    expect(() => new UmapLayout(context, graph, new Float32Array(4))).toThrow("invalid UMAP epochsPerSample: 0 at edge 1");
  });
});
