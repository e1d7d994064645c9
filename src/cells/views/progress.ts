import type { FineTuning } from "../training/fineTune.ts";
import type { Progress } from "../training/types.ts";

function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Builds a progress bar for a fine-tuning run: epoch, batch, loss, elapsed and remaining time, and a Cancel button. */
export function progressView(training: FineTuning): HTMLElement & { dispose(): void } {
  const root = document.createElement("div");
  root.className = "progress";
  root.setAttribute("data-view", "progress");
  const bar = document.createElement("progress");
  bar.max = 1;
  bar.value = 0;
  const text = document.createElement("span");
  text.textContent = "evaluating epoch 0 (before any update)…";
  const cancel = document.createElement("button");
  cancel.textContent = "Cancel";
  cancel.addEventListener("click", () => {
    training.cancel();
    cancel.disabled = true;
    text.textContent += " — cancelling after this batch";
  });
  root.append(bar, " ", text, " ", cancel);

  const update = (event: Event) => {
    const progress = (event as CustomEvent<Progress>).detail;
    const fraction = ((progress.epoch - 1) * progress.batches + progress.batch) / (progress.epochs * progress.batches);
    bar.value = fraction;
    text.textContent =
      `epoch ${progress.epoch}/${progress.epochs}, batch ${progress.batch}/${progress.batches}, ` +
      `loss ${progress.loss.toFixed(4)}, ${formatDuration(progress.elapsedMs)} elapsed, about ${formatDuration(progress.remainingMs)} left`;
    if (fraction >= 1) cancel.disabled = true;
  };
  const end = (event: Event) => {
    const { status, elapsedMs } = (event as CustomEvent<{ status: string; elapsedMs: number }>).detail;
    cancel.disabled = true;
    if (status === "done") bar.value = 1;
    text.textContent = `${status === "done" ? "finished" : status} after ${formatDuration(elapsedMs)}`;
  };
  training.progress.addEventListener("progress", update);
  training.progress.addEventListener("end", end);
  const dispose = () => {
    training.progress.removeEventListener("progress", update);
    training.progress.removeEventListener("end", end);
  };
  return Object.assign(root, { dispose });
}
