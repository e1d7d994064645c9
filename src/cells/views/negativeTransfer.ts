import * as Plot from "@observablehq/plot";
import type { RunState } from "../training/types.ts";

/**
 * Compares target validation accuracy of the fine-tuned model with the same architecture
 * trained from scratch on the same data and budget, and calls out negative transfer when the
 * fine-tuned model ends lower.
 */
export function negativeTransferView(fineTuned: RunState, scratch: RunState): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "negative-transfer");
  const series = (run: RunState, name: string) => run.snapshots.map((snapshot) => ({ epoch: snapshot.epoch, accuracy: snapshot.accuracy.targetModel.targetVal, run: name }));
  const data = [...series(fineTuned, "fine-tuned from source"), ...series(scratch, "trained from scratch")];
  const figure = Plot.plot({
    width: 420,
    height: 240,
    x: { label: "epoch", tickFormat: "d" },
    y: { label: "target validation accuracy", domain: [0, 1], grid: true },
    color: { legend: true },
    marks: [Plot.line(data, { x: "epoch", y: "accuracy", stroke: "run", z: "run" }), Plot.dot(data, { x: "epoch", y: "accuracy", fill: "run", r: 2.5, tip: true })],
  });
  const verdict = document.createElement("p");
  const last = (run: RunState) => run.snapshots.at(-1)?.accuracy.targetModel.targetVal;
  const tuned = last(fineTuned);
  const baseline = last(scratch);
  if (tuned === undefined || baseline === undefined || scratch.status === "running" || fineTuned.status === "running") {
    verdict.textContent = "Waiting for both runs to finish.";
  } else {
    const difference = 100 * (tuned - baseline);
    root.dataset.transfer = difference < 0 ? "negative" : "positive";
    verdict.className = difference < 0 ? "notice" : "";
    verdict.textContent =
      difference < 0
        ? `Negative transfer: fine-tuning ends ${(-difference).toFixed(1)} percentage points below training from scratch (${(100 * tuned).toFixed(1)}% vs ${(100 * baseline).toFixed(1)}%).`
        : `Transfer helped: fine-tuning ends ${difference.toFixed(1)} percentage points above training from scratch (${(100 * tuned).toFixed(1)}% vs ${(100 * baseline).toFixed(1)}%).`;
  }
  root.append(verdict, figure);
  return root;
}
