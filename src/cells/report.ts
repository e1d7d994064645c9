import type { BackendName } from "../gpu/backend.ts";
import { InputError } from "./errors.ts";
import { transferabilityScore } from "./training/metrics.ts";
import type { ProbeSet } from "./training/probe.ts";
import type { FineTuneParams, RunState, RunStatus, SixSeries, Snapshot } from "./training/types.ts";
import { carryoverVersion, reportFormatVersion } from "./version.ts";

/** Everything the views need to redraw a run without running it: the recorded results of a notebook. */
export interface RunReport {
  formatVersion: number;
  carryoverVersion: string;
  backend: BackendName;
  status: RunStatus;
  error?: string;
  params: FineTuneParams;
  classNames: string[];
  domainNames: [string, string];
  snapshots: Snapshot[];
  probe: { labels: Uint8Array; domainIndex: Uint8Array; images: Uint8Array };
  projection?: { method: string; layouts: Float32Array[] };
}

/** Collects a run, its probe set and (optionally) its projection into one report. */
export function makeReport(
  run: RunState,
  probe: ProbeSet,
  projection?: { method: string; layouts: Float32Array[] },
): RunReport {
  return {
    formatVersion: reportFormatVersion,
    carryoverVersion,
    backend: run.backend,
    status: run.status,
    error: run.error?.message,
    params: run.params,
    classNames: probe.classNames,
    domainNames: probe.domainNames,
    snapshots: run.snapshots,
    probe: { labels: probe.labels, domainIndex: probe.domainIndex, images: probe.images },
    projection,
  };
}

type SeriesArrays = {
  [Model in keyof SixSeries]: { [Set in keyof SixSeries[Model]]: number[] };
};

/** Per-epoch arrays of each of the six series; index 0 is before fine-tuning. */
function seriesOverEpochs(snapshots: readonly Snapshot[], metric: "accuracy" | "loss"): SeriesArrays {
  const pick = (read: (series: SixSeries) => number) => snapshots.map((snapshot) => read(snapshot[metric]));
  return {
    sourceModel: {
      sourceTrain: pick((s) => s.sourceModel.sourceTrain),
      sourceVal: pick((s) => s.sourceModel.sourceVal),
      target: pick((s) => s.sourceModel.target),
    },
    targetModel: {
      targetTrain: pick((s) => s.targetModel.targetTrain),
      targetVal: pick((s) => s.targetModel.targetVal),
      source: pick((s) => s.targetModel.source),
    },
  };
}

export interface RunSummary {
  backend: BackendName;
  status: RunStatus;
  error?: string;
  params: FineTuneParams;
  epochs: number[];
  accuracy: SeriesArrays;
  loss: SeriesArrays;
  transferability: number;
  bestEpoch: number;
  elapsedMs: number;
}

/** The part of a report or run state that the summary reads. */
export type RunRecord = Pick<RunReport, "backend" | "status" | "error" | "params" | "snapshots">;

/** Reduces a report (or a run still in progress) to the figures of summary.json. */
export function summarizeReport(report: RunRecord): RunSummary {
  const accuracy = seriesOverEpochs(report.snapshots, "accuracy");
  const targetVal = accuracy.targetModel.targetVal;
  return {
    backend: report.backend,
    status: report.status,
    error: report.error,
    params: report.params,
    epochs: report.snapshots.map((s) => s.epoch),
    accuracy,
    loss: seriesOverEpochs(report.snapshots, "loss"),
    transferability: transferabilityScore(targetVal, accuracy.sourceModel.target),
    bestEpoch: targetVal.indexOf(Math.max(...targetVal)),
    elapsedMs: report.snapshots.at(-1)?.elapsedMs ?? 0,
  };
}

/** Checks a report read from a file before any view touches it. */
export function checkReport(value: unknown, file: string): RunReport {
  const report = value as Partial<RunReport> | null;
  if (!report || typeof report !== "object") {
    throw new InputError(`invalid report: ${file} does not hold an object (expected a Carryover run report)`, { file });
  }
  if (report.formatVersion !== reportFormatVersion) {
    throw new InputError(
      `invalid report formatVersion: ${String(report.formatVersion)} in ${file} (expected ${reportFormatVersion}). Re-run the notebook with this Carryover version to record it again.`,
      { file, field: "formatVersion", value: String(report.formatVersion) },
    );
  }
  for (const field of ["snapshots", "classNames", "probe", "backend"] as const) {
    if (report[field] === undefined) throw new InputError(`missing ${field} in ${file} (the report is incomplete; record it again)`, { file, field });
  }
  return report as RunReport;
}
