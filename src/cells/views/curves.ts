import * as Plot from "@observablehq/plot";
import type { Snapshot, SixSeries } from "../training/types.ts";

/** Labels of the six series, in legend order. */
export const seriesLabels = {
  "sourceModel.sourceTrain": "source model · source train",
  "sourceModel.sourceVal": "source model · source validation",
  "sourceModel.target": "source model · target",
  "targetModel.targetTrain": "target model · target train",
  "targetModel.targetVal": "target model · target validation",
  "targetModel.source": "target model · source",
} as const;

type SeriesKey = keyof typeof seriesLabels;

interface Point {
  epoch: number;
  value: number;
  series: string;
}

function rows(snapshots: readonly Snapshot[], metric: "accuracy" | "loss"): Point[] {
  const points: Point[] = [];
  for (const snapshot of snapshots) {
    const values = snapshot[metric] as SixSeries;
    for (const key of Object.keys(seriesLabels) as SeriesKey[]) {
      const [model, set] = key.split(".") as [keyof SixSeries, string];
      points.push({ epoch: snapshot.epoch, value: (values[model] as Record<string, number>)[set]!, series: seriesLabels[key] });
    }
  }
  return points;
}

/**
 * Draws accuracy (or loss) per epoch for the six series; source-model series are dashed.
 * `markedEpoch`, when given, draws a vertical rule at that epoch (the replay's scrubber).
 */
export function curvesView(snapshots: readonly Snapshot[], metric: "accuracy" | "loss" = "accuracy", markedEpoch?: number): HTMLElement {
  const data = rows(snapshots, metric);
  const figure = Plot.plot({
    width: 640,
    height: 300,
    marginRight: 20,
    // Integer epochs only; past 12 epochs Plot picks the ticks.
    x: { label: "epoch", ticks: snapshots.length <= 12 ? snapshots.map((s) => s.epoch) : undefined, tickFormat: "d" },
    y: { label: metric === "accuracy" ? "accuracy" : "loss (cross-entropy)", grid: true, domain: metric === "accuracy" ? [0, 1] : undefined },
    color: { legend: true, domain: Object.values(seriesLabels) },
    marks: [
      // z names the series explicitly: with one point per series at epoch 0, Plot would warn that an implied z has high cardinality.
      Plot.line(data.filter((d) => d.series.startsWith("source model")), { x: "epoch", y: "value", stroke: "series", z: "series", strokeDasharray: "4,3" }),
      Plot.line(data.filter((d) => d.series.startsWith("target model")), { x: "epoch", y: "value", stroke: "series", z: "series" }),
      Plot.dot(data, { x: "epoch", y: "value", fill: "series", r: 2.5, tip: true }),
      ...(markedEpoch === undefined ? [] : [Plot.ruleX([markedEpoch], { stroke: "#1b1e23", strokeOpacity: 0.35 })]),
    ],
  });
  figure.setAttribute("data-view", `curves-${metric}`);
  return figure as HTMLElement;
}
