import { checkRecordedReport } from "../cells/recordedReport.ts";
import type { RunReport } from "../cells/report.ts";
import { carryoverVersion } from "../cells/version.ts";
import { decodeSession, encodeSession, SessionError, type SessionContents } from "../runtime/session/index.ts";

/** File name extension of saved sessions. */
export const sessionExtension = ".carryover";

/** A session that passed every check, with its report ready for the views. */
export interface OpenedSession {
  contents: SessionContents;
  report: RunReport;
  fileName: string;
}

/**
 * Decodes a session file and checks its report, so the views only ever see complete data.
 * Throws SessionError for a fault in the file and InputError for a fault in the report.
 */
export function openSession(bytes: Uint8Array, fileName: string): OpenedSession {
  const contents = decodeSession(bytes, fileName);
  if (contents.results.report === undefined) {
    const names = Object.keys(contents.results);
    throw new SessionError("missing-array", fileName, `missing report in ${JSON.stringify(fileName)}: the session's results hold ${names.length ? names.join(", ") : "nothing"} (expected "report", the recorded run the views draw). Record the session again.`, "results.report");
  }
  return { contents, report: checkRecordedReport(contents.results.report, fileName), fileName };
}

/** Builds the session of a recorded run: its notebook, its report and the facts about how it was made. */
export function sessionFromReport(
  report: RunReport,
  notebook: { fileName: string; source: string },
  libraries: Record<string, string>,
  producer: string,
): SessionContents {
  return {
    meta: {
      carryoverVersion,
      backend: report.backend,
      seed: report.params.seed,
      libraries,
      createdAt: new Date().toISOString(),
      producer,
    },
    notebook,
    results: { report },
  };
}

/** Offers bytes to the reader as a downloaded file. */
export function downloadBytes(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: Chromium starts the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Returns the session file name for a notebook, such as digits.carryover for notebooks/digits.md. */
export function sessionFileName(notebookFile: string): string {
  const base = notebookFile.split("/").pop()!.replace(/\.md$/i, "") || "session";
  return `${base}${sessionExtension}`;
}

export { encodeSession };
