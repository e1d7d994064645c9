import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { projectRun, type RunProjection } from "../../../src/cells/analysis/projectRun.ts";
import { SnapshotLayer } from "../../../src/cells/analysis/snapshotLayer.ts";
import { evaluate } from "../../../src/cells/training/evaluate.ts";
import type { ProbeSet } from "../../../src/cells/training/probe.ts";
import type { RunState, Snapshot } from "../../../src/cells/training/types.ts";
import { createRandom } from "../../../src/cells/random.ts";

const count = 30;
let model: tf.LayersModel;
let probe: ProbeSet;
let run: RunState;

beforeAll(async () => {
  await tf.setBackend("cpu");
  model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, name: "conv1", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten({ name: "flatten" }),
      tf.layers.dense({ units: 5, name: "dense1", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.dense({ units: 3, activation: "softmax", name: "output", kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  const random = createRandom(5);
  probe = {
    name: "probe",
    images: Uint8Array.from({ length: count * 36 }, () => Math.floor(random() * 256)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
    count,
    classNames: ["a", "b", "c"],
    shape: [6, 6, 1],
    domainIndex: Uint8Array.from({ length: count }, (_, i) => (i < count / 2 ? 0 : 1)),
    domainNames: ["source", "target"],
  };
  const weights = await Promise.all(model.weights.map(async (variable) => ({ name: variable.originalName, shape: variable.shape as number[], values: (await variable.read().data()) as Float32Array })));
  // Epoch 1 doubles every weight, so its conv1 activations differ from epoch 0's.
  const recorded = await evaluate(model, probe, { probeLayer: "dense1" });
  const snapshots = [0, 1].map((epoch) => ({
    epoch,
    probe: { predictions: recorded.predictions, activations: Float32Array.from(recorded.activations!), dimension: recorded.dimension! },
    weights: weights.map((weight) => ({ ...weight, values: weight.values.map((value) => value * (epoch + 1)) })),
  })) as unknown as Snapshot[];
  run = { status: "done", backend: "cpu", params: { probeLayer: "dense1" } as RunState["params"], snapshots };
});

afterAll(() => model.dispose());

async function last(generator: AsyncGenerator<RunProjection>): Promise<RunProjection> {
  let final: RunProjection | undefined;
  for await (const value of generator) final = value;
  return final!;
}

describe("projecting a chosen layer", () => {
  test("the recorded layer is read from the snapshot", async () => {
    const layer = new SnapshotLayer("dense1", "dense1");
    expect(await layer.at(run.snapshots[1]!)).toBe(run.snapshots[1]!.probe);
  });

  test("another layer is read from the model at the snapshot's weights", async () => {
    const layer = new SnapshotLayer("conv1", "dense1", model, probe);
    const read = await layer.at(run.snapshots[1]!);
    await layer.dispose();
    const doubled = await tf.models.modelFromJSON(model.toJSON(null, false) as never);
    tf.tidy(() => doubled.setWeights(model.getWeights().map((weight) => weight.mul(2))));
    const expected = await evaluate(doubled, probe, { probeLayer: "conv1" });
    doubled.dispose();
    expect(read.dimension).toBe(4);
    expect(Array.from(read.activations)).toEqual(Array.from(expected.activations!).map((value) => expect.closeTo(value, 5)));
  });

  test("projectRun projects the chosen layer and frees its model copy", async () => {
    const before = tf.memory().numTensors;
    const result = await last(projectRun(run, { seed: 1, layer: "conv1", model, probe }));
    expect(result).toMatchObject({ layer: "conv1", computedOn: "cpu", complete: true });
    expect(result.layouts).toHaveLength(2);
    for (const layout of result.layouts) expect(layout).toHaveLength(2 * count);
    expect(tf.memory().numTensors).toBe(before);
  });

  test("an unknown layer names the field and the choices", async () => {
    await expect(last(projectRun(run, { layer: "dense9", model, probe }))).rejects.toThrow('layer not found: "dense9" in projectionLayer (expected one of conv1, dense1)');
  });

  test("another layer without the model says what to pass", async () => {
    await expect(last(projectRun(run, { layer: "conv1" }))).rejects.toThrow(/projecting layer "conv1" needs the source model and the probe set/);
  });
});
