import * as tf from "@tensorflow/tfjs";
import { checkReport, summarizeReport, type RunReport, type RunSummary } from "../cells/report.ts";
import { trainingStepCount } from "../cells/training/fineTune.ts";
import { formatCellError } from "../runtime/index.ts";
import type { NotebookPage } from "./notebookPage.ts";
import { encodeSession, sessionFromReport } from "./session.ts";
import { stringifyTyped } from "./typedJson.ts";

export interface CellOutcome {
  id: string;
  /** The names the cell declares, or its id when it declares none. */
  name: string;
  status: "ok" | "error";
  message?: string;
  /** For a failed cell: the kind of its first error, such as "thrown", "syntax" or "input" (an input failed elsewhere). */
  kind?: string;
}

export interface HeadlessResults {
  cells: CellOutcome[];
  /** The notebook's `report` value as typed JSON, when the notebook declares one. */
  report: string | null;
  summary: (RunSummary & { formatVersion: number; carryoverVersion: string }) | null;
}

/** Page API that `carryover run` and the browser tests call as `window.carryover`. */
export interface HeadlessApi {
  /** Opens a notebook; resolves once its cells are defined (not when they finish). */
  open(text: string, fileName: string, overrides: Record<string, unknown>): Promise<void>;
  isSettled(): boolean;
  statusLine(): string;
  results(): HeadlessResults;
  /** Live tensors in TensorFlow.js, for leak checks. */
  tensorCount(): number;
  /** Training batches run in this page, for proving that a cached run trained nothing. */
  trainingSteps(): number;
  /** Warnings the result cache has reported in this page, repeats included. */
  cacheWarnings?(): number;
  page(): NotebookPage | undefined;
  /** The open notebook's session file (source, recorded report, metadata) as base64, or null before it has a report. */
  sessionBase64(): string | null;
  /** The same session file as bytes, for the page's "Save session" button. */
  sessionBytes(): Uint8Array | null;
}

declare global {
  interface Window {
    carryover?: HeadlessApi;
  }
}

/** Finds the notebook's declared `report`. */
function findReport(page: NotebookPage): RunReport | undefined {
  for (const state of page.cellStates()) {
    if (state.values.has("report")) return checkReport(state.values.get("report"), "report");
  }
  return undefined;
}

export function createHeadlessApi(
  openPage: (text: string, fileName: string, overrides: Record<string, unknown>) => Promise<NotebookPage>,
): HeadlessApi {
  let page: NotebookPage | undefined;
  let settled = false;
  let notebook = { fileName: "", source: "" };
  const sessionBytes = () => {
    const report = page && findReport(page);
    if (!report) return null;
    const libraries = Object.fromEntries(Object.entries(tf.version).map(([name, version]) => [`@tensorflow/${name}`, version]));
    return encodeSession(sessionFromReport(report, notebook, libraries, "carryover notebook page"), notebook.fileName);
  };
  return {
    async open(text, fileName, overrides) {
      page?.dispose();
      page = undefined;
      settled = false;
      notebook = { fileName, source: text };
      const opened = await openPage(text, fileName, overrides);
      page = opened;
      void opened.runtime.settled().then(() => {
        if (page === opened) settled = true;
      });
    },
    isSettled: () => settled,
    statusLine() {
      if (!page) return "no notebook open";
      const states = page.cellStates();
      const count = (status: string) => states.filter((s) => s.status === status).length;
      const progress = [...document.querySelectorAll("[data-view=progress] span")].map((node) => node.textContent).join("; ");
      return `${count("fulfilled")} cells done, ${count("pending")} running, ${count("rejected")} failed${progress ? ` · ${progress}` : ""}`;
    },
    results() {
      if (!page) throw new Error("no notebook open: call open() first");
      const cells = page.cellStates().map((state): CellOutcome => {
        const name = state.outputs.length > 0 ? state.outputs.join(", ") : state.id;
        if (state.errors.length === 0) return { id: state.id, name, status: "ok" };
        return { id: state.id, name, status: "error", message: state.errors.map(formatCellError).join("\n"), kind: state.errors[0]!.kind };
      });
      const report = findReport(page);
      return {
        cells,
        report: report ? stringifyTyped(report) : null,
        summary: report ? { formatVersion: report.formatVersion, carryoverVersion: report.carryoverVersion, ...summarizeReport(report) } : null,
      };
    },
    // The engine's count covers every backend and, unlike tf.memory(), needs no backend selected yet.
    tensorCount: () => tf.engine().state.numTensors,
    trainingSteps: () => trainingStepCount(),
    page: () => page,
    sessionBytes,
    sessionBase64() {
      const bytes = sessionBytes();
      if (!bytes) return null;
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
  };
}
