import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { KernelContext } from "../../../src/gpu/kernels/context.ts";
import { projectRun, type RunProjection } from "../../../src/cells/analysis/projectRun.ts";
import type { RunState, Snapshot } from "../../../src/cells/training/types.ts";
import { gaussianMatrix, kernelContext, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});
afterEach(() => {
  expect(context.liveBuffers).toBe(0);
});

const n = 60;
const d = 8;
/** One Gaussian blob: with no clusters to anchor it, a layout from a fresh random start moves about 0.6 of its spread. */
const blob = gaussianMatrix(n, d, 5);

/** The same blob with its first 30 points moved 8 along the first axis: two groups. */
const split = blob.map((value, index) => value + (Math.floor(index / d) < n / 2 && index % d === 0 ? 8 : 0));

/** Builds a finished run with one snapshot per activations array (each copied). */
function runOf(activationsPerEpoch: Float32Array[]): RunState {
  const snapshots = activationsPerEpoch.map((activations, epoch) => ({
    epoch,
    probe: { predictions: new Uint8Array(n), activations: Float32Array.from(activations), dimension: d },
  })) as unknown as Snapshot[];
  return { status: "done", backend: "webgpu", params: { probeLayer: "dense1" } as RunState["params"], snapshots };
}

/** Builds a finished run of `epochs` snapshots whose probe activations are all `blob`. */
function unchangedRun(epochs: number): RunState {
  return runOf(Array.from({ length: epochs }, () => blob));
}

/** Fraction of points whose nearest other point in the layout lies in the same half of `split`. */
function sameHalfAgreement(layout: Float32Array): number {
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let nearest = -1;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const distance = Math.hypot(layout[2 * i]! - layout[2 * j]!, layout[2 * i + 1]! - layout[2 * j + 1]!);
      if (j !== i && distance < nearestDistance) [nearest, nearestDistance] = [j, distance];
    }
    if (nearest < n / 2 === i < n / 2) agree++;
  }
  return agree / n;
}

async function all(generator: AsyncGenerator<RunProjection>): Promise<RunProjection[]> {
  const values: RunProjection[] = [];
  for await (const value of generator) values.push(value);
  return values;
}

/** Mean distance of the points between two layouts, over the root mean square distance from the centre. */
function relativeMove(from: Float32Array, to: Float32Array): number {
  let move = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    move += Math.hypot(to[2 * i]! - from[2 * i]!, to[2 * i + 1]! - from[2 * i + 1]!) / n;
    spread += (from[2 * i]! ** 2 + from[2 * i + 1]! ** 2) / n;
  }
  return move / Math.sqrt(spread);
}

describe("projectRun on the GPU kernels", { timeout: gpuTestTimeout }, () => {
  const kernels = () => ({ kind: "webgpu" as const, context });

  // Measured: t-SNE moves under 0.001, UMAP about 0.2 (its negative samples keep jittering).
  for (const [method, most] of [["tsne", 0.1], ["umap", 0.35]] as const) {
    test(`${method}: each epoch starts from the previous layout`, async () => {
      const values = await all(projectRun(unchangedRun(2), { method, seed: 3, kernels: kernels() }));
      const computing = values.filter((value) => value.computing).map((value) => value.computing!.epoch);
      expect(computing).toEqual([0, 1]);
      const result = values.at(-1)!;
      expect(result).toMatchObject({ method, layer: "dense1", computedOn: "webgpu", complete: true });
      expect(result.layouts).toHaveLength(2);
      for (const layout of result.layouts) {
        expect(layout).toHaveLength(2 * n);
        expect(layout.every(Number.isFinite)).toBe(true);
      }
      // The activations did not change, so the layout started from epoch 0's stays close to it.
      expect(relativeMove(result.layouts[0]!, result.layouts[1]!)).toBeLessThan(most);
    });
  }

  // Measured: about 0.45 at epoch 0 (chance), 1.0 (t-SNE) and 0.98 (UMAP) at epoch 1.
  for (const method of ["tsne", "umap"] as const) {
    test(`${method}: later epoch follows changed activations`, async () => {
      const values = await all(projectRun(runOf([blob, split]), { method, seed: 3, kernels: kernels() }));
      const [before, after] = values.at(-1)!.layouts;
      expect(sameHalfAgreement(before!)).toBeLessThan(0.7);
      expect(sameHalfAgreement(after!)).toBeGreaterThan(0.9);
    });
  }

  test("reference kernels keep the CPU path and say so", async () => {
    const values = await all(projectRun(unchangedRun(1), { seed: 3, kernels: { kind: "reference" } }));
    expect(values.at(-1)).toMatchObject({ computedOn: "cpu", complete: true });
  });

  test("closing the generator mid-run frees the GPU buffers", async () => {
    const steps = projectRun(unchangedRun(3), { method: "umap", seed: 3, kernels: kernels() });
    expect((await steps.next()).value).toMatchObject({ computing: { epoch: 0 } });
    // The second request starts epoch 0 on the GPU; the close waits for the next pause.
    const working = steps.next();
    const closing = steps.return();
    expect((await working).value).toMatchObject({ computing: { epoch: 1 }, layouts: [expect.any(Float32Array)] });
    expect(await closing).toEqual({ done: true, value: undefined });
    expect(context.liveBuffers).toBe(0);
  });
});
