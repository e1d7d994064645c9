import type { RunReport } from "../report.ts";
import { classTableView } from "./classTable.ts";
import { curvesView } from "./curves.ts";
import { projectionView } from "./projection.ts";
import { transferView } from "./transfer.ts";

/** A titled section of the report. */
export function section(title: string, ...children: Node[]): HTMLElement {
  const element = document.createElement("section");
  const heading = document.createElement("h2");
  heading.textContent = title;
  element.append(heading, ...children);
  return element;
}

/** Projection view of a report, or undefined when the report has no projection. */
export function reportProjectionView(report: RunReport): (HTMLElement & { dispose?: () => void }) | undefined {
  if (!report.projection || report.projection.layouts.length === 0) return undefined;
  const layouts = report.projection.layouts;
  return projectionView({
    layouts,
    predictions: report.snapshots.slice(0, layouts.length).map((snapshot) => snapshot.probe.predictions),
    labels: report.probe.labels,
    domain: report.probe.domainIndex,
    images: report.probe.images,
    classNames: report.classNames,
    domainNames: report.domainNames,
    epochLabels: report.snapshots.slice(0, layouts.length).map((snapshot) => `epoch ${snapshot.epoch}`),
  });
}

/**
 * Draws every view of a recorded run: the statistical level (transferability, six
 * accuracy and loss series, per-class table with an epoch choice) and the instance level
 * (the projection with its epoch slider). Used by the static page that `carryover run` writes.
 */
export function reportView(report: RunReport): HTMLElement & { dispose(): void } {
  const root = document.createElement("div");
  const last = report.snapshots.length - 1;
  const tableHolder = document.createElement("div");
  const epochChoice = document.createElement("select");
  epochChoice.setAttribute("aria-label", "epoch of the per-class table");
  for (const snapshot of report.snapshots) epochChoice.add(new Option(`epoch ${snapshot.epoch}`, String(snapshot.epoch)));
  epochChoice.value = String(report.snapshots[last]?.epoch ?? 0);
  const showTable = () => {
    const snapshot = report.snapshots.find((s) => String(s.epoch) === epochChoice.value) ?? report.snapshots[last]!;
    tableHolder.replaceChildren(classTableView(snapshot, report.classNames));
  };
  epochChoice.addEventListener("change", showTable);
  if (report.snapshots.length > 0) showTable();

  const projection = reportProjectionView(report);
  root.append(
    section("Statistical level", transferView(report), curvesView(report.snapshots, "accuracy"), curvesView(report.snapshots, "loss")),
    section("Per class", epochChoice, tableHolder),
  );
  if (projection) root.append(section("Instance level", projection));
  return Object.assign(root, { dispose: () => projection?.dispose?.() });
}
