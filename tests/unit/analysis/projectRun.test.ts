import { expect, test } from "vitest";
import { projectRun, type RunProjection } from "../../../src/cells/analysis/projectRun.ts";
import { createRandom } from "../../../src/cells/random.ts";
import type { RunState, Snapshot } from "../../../src/cells/training/types.ts";

const n = 40;
const dimension = 6;

/** Builds a run whose probe activations are three noisy clusters that drift a little each epoch. */
function fakeRun(epochs: number, status: RunState["status"]): RunState {
  const random = createRandom(3);
  const base = new Float32Array(n * dimension).map((_, i) => (Math.floor(i / dimension) % 3) * 5 + random());
  const snapshots = Array.from({ length: epochs }, (_, epoch) => ({
    epoch,
    probe: { predictions: new Uint8Array(n), activations: base.map((v) => v + epoch * 0.05 * random()), dimension },
  })) as unknown as Snapshot[];
  return { status, backend: "cpu", params: {} as RunState["params"], snapshots };
}

async function last(generator: AsyncGenerator<RunProjection>): Promise<RunProjection> {
  let final: RunProjection | undefined;
  for await (const value of generator) final = value;
  return final!;
}

test("projectRun gives one layout per snapshot", async () => {
  const result = await last(projectRun(fakeRun(3, "done"), { seed: 1 }));
  expect(result.layouts).toHaveLength(3);
  expect(result.complete).toBe(true);
  for (const layout of result.layouts) expect(layout).toHaveLength(n * 2);
});

test("projectRun incomplete while running", async () => {
  const result = await last(projectRun(fakeRun(2, "running"), { seed: 1 }));
  expect(result.complete).toBe(false);
});

test("projectRun reuses earlier epochs", async () => {
  const run = fakeRun(2, "running");
  const first = await last(projectRun(run, { seed: 1 }));
  const grown: RunState = { ...run, snapshots: [...run.snapshots, fakeRun(3, "done").snapshots[2]!] };
  const second = await last(projectRun(grown, { seed: 1 }));
  expect(second.layouts[0]).toBe(first.layouts[0]);
  expect(second.layouts[1]).toBe(first.layouts[1]);
  expect(second.layouts).toHaveLength(3);
});

test("projectRun supports umap", async () => {
  const result = await last(projectRun(fakeRun(2, "done"), { seed: 1, method: "umap" }));
  expect(result.method).toBe("umap");
  expect(result.layouts).toHaveLength(2);
});

test("projectRun rejects unknown methods", async () => {
  await expect(last(projectRun(fakeRun(1, "done"), { method: "pca" }))).rejects.toThrow('invalid projection method: "pca" (expected "tsne" or "umap")');
});
