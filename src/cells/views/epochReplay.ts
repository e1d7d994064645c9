import type { RunReport } from "../report.ts";
import type { SixSeries } from "../training/types.ts";
import { classTableView, indicesOfClass } from "./classTable.ts";
import { curvesView, seriesLabels } from "./curves.ts";
import type { ProjectionViewElement } from "./projection.ts";
import { reportProjectionView, section } from "./report.ts";
import { selectionSummaryView } from "./selectionSummary.ts";
import { transferView } from "./transfer.ts";

/** The pieces of a replay that a page can place on their own, such as the nodes of a canvas. */
export type EpochReplayPart = "transfer" | "figures" | "accuracy" | "loss" | "classes" | "projection" | "selection";

export type EpochReplayElement = HTMLElement & {
  /** Shows snapshot `index` (0 is before fine-tuning) in every view. */
  showSnapshot(index: number): void;
  /** The scrubber with its epoch label. */
  controls: HTMLElement;
  /** Each view's element; the scrubber keeps redrawing them wherever they are placed. */
  parts: ReadonlyMap<EpochReplayPart, HTMLElement>;
  dispose(): void;
};

/**
 * Draws every view of a recorded run under one epoch scrubber: moving it redraws the marker
 * on both curve plots, the figures of that epoch, the per-class table and the projection.
 * A selection made on the projection is summarised below it, as the live notebook does.
 * Reads the report only; it runs no training and no notebook code.
 */
export function epochReplayView(report: RunReport): EpochReplayElement {
  const root = document.createElement("div");
  root.dataset.view = "epoch-replay";
  const last = report.snapshots.length - 1;

  const scrubber = Object.assign(document.createElement("input"), { type: "range", min: "0", max: String(last), step: "1" });
  scrubber.dataset.role = "epoch-scrubber";
  scrubber.setAttribute("aria-label", "epoch of every view");
  scrubber.disabled = last < 1;
  const epochText = document.createElement("output");
  const controls = document.createElement("div");
  controls.className = "epoch-scrubber";
  controls.append("Epoch ", scrubber, " ", epochText);

  const figures = document.createElement("table");
  figures.className = "class-table";
  figures.dataset.view = "epoch-figures";
  const accuracyHolder = document.createElement("div");
  const lossHolder = document.createElement("div");
  const tableHolder = document.createElement("div");
  const projection = reportProjectionView(report);
  const projectionSlider = projection?.querySelector<HTMLInputElement>("input[type=range]");

  const transfer = transferView(report);
  const parts = new Map<EpochReplayPart, HTMLElement>([
    ["transfer", transfer],
    ["figures", figures],
    ["accuracy", accuracyHolder],
    ["loss", lossHolder],
    ["classes", tableHolder],
  ]);
  const selectionHolder = document.createElement("div");
  if (projection) {
    parts.set("projection", projection);
    parts.set("selection", selectionHolder);
    const layoutCount = report.projection?.layouts.length ?? 0;
    const summaryInput = {
      predictions: report.snapshots.slice(0, layoutCount).map((snapshot) => snapshot.probe.predictions),
      labels: report.probe.labels,
      domain: report.probe.domainIndex,
      images: report.probe.images,
      classNames: report.classNames,
      domainNames: report.domainNames,
    };
    const showSelection = () => {
      selectionHolder.replaceChildren(selectionSummaryView((projection as ProjectionViewElement).value, summaryInput));
    };
    projection.addEventListener("input", showSelection);
    showSelection();
  }

  root.append(
    controls,
    section("Statistical level", transfer, figures, accuracyHolder, lossHolder),
    section("Per class", tableHolder),
  );
  if (projection) root.append(section("Instance level", projection, selectionHolder));

  const showSnapshot = (index: number) => {
    const k = Math.max(0, Math.min(last, Math.trunc(index)));
    const snapshot = report.snapshots[k]!;
    scrubber.value = String(k);
    root.dataset.snapshot = String(k);
    epochText.textContent = `epoch ${snapshot.epoch}${k === 0 ? " (before fine-tuning)" : ""}`;
    figures.replaceChildren(figureRows(snapshot.accuracy, snapshot.loss));
    accuracyHolder.replaceChildren(curvesView(report.snapshots, "accuracy", snapshot.epoch));
    lossHolder.replaceChildren(curvesView(report.snapshots, "loss", snapshot.epoch));
    const classTable = classTableView(snapshot, report.classNames);
    // Choosing a class row selects that class's probe images in the projection, as in the notebook.
    classTable.addEventListener("input", () => {
      if (classTable.value === null || !projection) return;
      (projection as ProjectionViewElement).select(indicesOfClass(report.probe.labels, classTable.value));
    });
    tableHolder.replaceChildren(classTable);
    // The projection keeps its own slider; the scrubber moves it as a reader would, so the
    // view redraws through its one code path. Reports may hold fewer layouts than snapshots.
    if (projectionSlider && Number(projectionSlider.max) >= k) {
      projectionSlider.value = String(k);
      projectionSlider.dispatchEvent(new Event("input"));
    }
  };
  scrubber.addEventListener("input", () => showSnapshot(Number(scrubber.value)));
  showSnapshot(last);
  return Object.assign(root, { showSnapshot, controls, parts, dispose: () => projection?.dispose?.() });
}

/** Builds one row per series with its accuracy and loss at the shown epoch. Each cell's `data-value` keeps the exact number. */
function figureRows(accuracy: SixSeries, loss: SixSeries): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const head = document.createElement("tr");
  for (const label of ["series", "accuracy", "loss"]) head.append(Object.assign(document.createElement("th"), { textContent: label }));
  fragment.append(head);
  for (const [key, label] of Object.entries(seriesLabels)) {
    const [model, set] = key.split(".") as [keyof SixSeries, string];
    const row = document.createElement("tr");
    row.dataset.series = key;
    row.append(Object.assign(document.createElement("td"), { textContent: label }));
    for (const [metric, value, text] of [
      ["accuracy", (accuracy[model] as Record<string, number>)[set]!, (v: number) => `${(v * 100).toFixed(2)}%`],
      ["loss", (loss[model] as Record<string, number>)[set]!, (v: number) => v.toFixed(4)],
    ] as const) {
      const cell = document.createElement("td");
      cell.dataset.metric = metric;
      cell.dataset.value = String(value);
      cell.textContent = text(value);
      cell.style.textAlign = "right";
      row.append(cell);
    }
    fragment.append(row);
  }
  return fragment;
}
