import { summarizeReport, type RunRecord } from "../report.ts";
import type { RunState } from "../training/types.ts";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** States the transferability score with the two figures it is the difference of, and the backend that produced them. */
export function transferView(report: RunRecord): HTMLElement {
  const summary = summarizeReport(report);
  const bestTarget = Math.max(...summary.accuracy.targetModel.targetVal);
  const bestSource = Math.max(...summary.accuracy.sourceModel.target);
  const root = document.createElement("div");
  root.className = "transfer-score";
  root.setAttribute("data-view", "transferability");
  const score = document.createElement("strong");
  const points = summary.transferability * 100;
  score.textContent = `${points >= 0 ? "+" : ""}${points.toFixed(1)} percentage points`;
  root.append(
    "Transferability: ",
    score,
    ` — best target-model validation accuracy on the target ${percent(bestTarget)} (epoch ${summary.bestEpoch})` +
      ` minus the source model's accuracy on the target ${percent(bestSource)}. ` +
      `Run ${summary.status === "running" ? "in progress" : summary.status} on ${summary.backend}: ${epochCount(summary.epochs.length - 1)} in ${(summary.elapsedMs / 1000).toFixed(0)} s. ` +
      "Accuracies are on the target validation set, which also picks the best epoch, so the score leans optimistic; the test split is held out.",
  );
  return root;
}

/** States the transferability so far and, when the run stopped early, why. */
export function runStatusView(run: RunState): HTMLElement {
  const root = transferView({ ...run, error: run.error?.message });
  if (run.resumedFrom !== undefined) {
    const resumed = document.createElement("div");
    resumed.className = "notice";
    resumed.textContent = `Resumed after epoch ${run.resumedFrom}: the earlier epochs were restored from the cache, not recomputed.`;
    root.append(resumed);
  }
  for (const notice of run.notices ?? []) {
    const recovered = document.createElement("div");
    recovered.className = "notice";
    recovered.setAttribute("data-notice", "fault");
    recovered.textContent = notice;
    root.append(recovered);
  }
  if (run.status === "failed" || run.status === "cancelled") {
    const reason = document.createElement("div");
    reason.className = "cell-error";
    reason.textContent = run.status === "cancelled" ? "The run was cancelled; the snapshots recorded before that are kept." : run.error?.message ?? "The run failed.";
    root.append(reason);
  }
  return root;
}

function epochCount(count: number): string {
  return count === 1 ? "1 epoch" : `${count} epochs`;
}
