import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunState } from "../../src/cells/training/types.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { runNotebookText } from "./notebook.ts";

/**
 * A tiny fine-tuning of the digits model on UCI digits alone (30 training images, batches of
 * 15), with `extra` cells appended. `learningRate` goes in as text so 1e6 stays readable.
 */
function faultNotebook(learningRate: string, epochs: number, extra = ""): string {
  const fence = "```";
  return `# Faults

${fence}js id=backend
import { selectBackend } from "carryover";
const backend = await selectBackend(["webgpu"]);
${fence}

${fence}js id=data
import { loadUciDigits, splitTarget, sampleDomain, makeProbeSet } from "carryover";
const digits = await loadUciDigits();
const target = splitTarget(digits, { budgetPerClass: 3, seed: 1 });
const small = sampleDomain(target.validation, 20, 1, "UCI validation");
const probe = makeProbeSet(sampleDomain(target.test, 10, 1, "UCI test"), sampleDomain(target.validation, 10, 2, "UCI validation"));
${fence}

${fence}js id=model
import { loadSourceModel } from "carryover";
const sourceModel = await loadSourceModel("models/mnist-cnn/model.json", { classCount: 10, backend });
${fence}

${fence}js id=training
import { FineTuning } from "carryover";
const training = new FineTuning({
  sourceModel,
  data: { sourceTrain: small, sourceVal: small, targetTrain: target.train, targetVal: small, probe },
  params: { epochs: ${epochs}, learningRate: ${learningRate}, batchSize: 15, frozenLayers: [], seed: 1, probeLayer: "dense1" },
  backend: backend.name,
});
${fence}
${extra}
${fence}js id=runCell
const run = training.run();
${fence}

${fence}js id=status
import { runStatusView } from "carryover";
runStatusView(run);
${fence}
`;
}

const runState = (opened: OpenedPage) =>
  opened.page.evaluate(() => {
    const run = window.carryover!.page()!.runtime.cellState("runCell").values.get("run") as RunState;
    return { status: run.status, epochs: run.snapshots.map((s) => s.epoch), error: run.error?.message, notices: run.notices ?? [] };
  });

describe("loss that turns NaN", () => {
  let opened: OpenedPage;

  beforeAll(async () => {
    opened = await openPage("/?headless&cache=off");
    await runNotebookText(opened.page, faultNotebook("1e6", 4), "nan.md", {}, 400_000);
  });

  afterAll(async () => {
    await opened?.close();
  });

  test("run stops as failed", async () => {
    const run = await runState(opened);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/training stopped: loss became (NaN|Infinity|-Infinity) at epoch \d, batch \d.* with learningRate 1000000\./);
    expect(run.error).toContain("Lower the learning rate");
  });

  test("earlier snapshots are kept", async () => {
    const run = await runState(opened);
    const failedEpoch = Number(/at epoch (\d)/.exec(run.error!)![1]);
    expect(run.epochs).toEqual(Array.from({ length: failedEpoch }, (_, i) => i));
  });

  test("page says why", async () => {
    const text = await opened.page.textContent('section.cell[data-cell-id="status"] .cell-error');
    expect(text).toContain("loss became");
  });
});

describe("lost GPU device", () => {
  let opened: OpenedPage;
  const saboteur = `
\`\`\`js id=saboteur
import * as tf from "@tensorflow/tfjs";
let destroyed = false;
training.progress.addEventListener("progress", (event) => {
  if (!destroyed && event.detail.epoch === 2) {
    destroyed = true;
    tf.backend().device.destroy();
  }
});
const armed = true;
\`\`\`

\`\`\`js id=afterwards
import { evaluate } from "carryover";
const check = run.status === "running" ? null : await evaluate(sourceModel, small);
\`\`\`
`;

  beforeAll(async () => {
    opened = await openPage("/?headless&cache=off");
    await runNotebookText(opened.page, faultNotebook("0.001", 3, saboteur), "device-lost.md", {}, 500_000);
  });

  afterAll(async () => {
    await opened?.close();
  });

  test("run resumes and finishes", async () => {
    const run = await runState(opened);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe("done");
    expect(run.epochs).toEqual([0, 1, 2, 3]);
  });

  test("notice names the loss", async () => {
    const run = await runState(opened);
    expect(run.notices).toHaveLength(1);
    expect(run.notices[0]).toMatch(/GPU device lost \(reason: destroyed.*at epoch 2, batch \d\. A new device was acquired and the run resumed from the epoch 1 snapshot\./);
    const shown = await opened.page.textContent('section.cell[data-cell-id="status"] [data-notice=fault]');
    expect(shown).toContain("GPU device lost");
  });

  test("source model works after recovery", async () => {
    const result = await opened.page.evaluate(() => {
      const runtime = window.carryover!.page()!.runtime;
      const check = runtime.cellState("afterwards").values.get("check") as { accuracy: number } | null;
      const run = runtime.cellState("runCell").values.get("run") as RunState;
      return { accuracy: check?.accuracy, before: run.snapshots[0]!.accuracy.sourceModel.target };
    });
    expect(result.accuracy).toBeCloseTo(result.before, 5);
  });
});
