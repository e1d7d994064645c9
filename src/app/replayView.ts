import { summarizeReport, type RunSummary } from "../cells/report.ts";
import { epochReplayView, type EpochReplayElement } from "../cells/views/epochReplay.ts";
import { parseNotebook } from "../runtime/notebook.ts";
import { notebookView, withoutFrontMatter } from "../runtime/notebook-view.ts";
import type { ReplayCanvas } from "./replayCanvas.ts";
import { renderUntrustedMarkdown } from "./safeProse.ts";
import { viewSwitch, type ViewName } from "./viewSwitch.ts";
import type { OpenedSession } from "./session.ts";

export interface ReplayOptions {
  /** Saves the session being shown to a file. */
  save(): void;
  /**
   * Runs the notebook's cells after the reader confirmed the warning. It is absent where the
   * page has no runtime (a published site), so the page offers the notebook's source instead.
   */
  runCells?(source: string, fileName: string): void;
}

export type ReplayElement = HTMLElement & {
  view: EpochReplayElement;
  summary: RunSummary;
  /** Shows the document or the canvas view; moves elements only, so nothing runs or redraws from scratch. */
  setView(view: ViewName): void;
  /** Created the first time the canvas view opens. */
  canvas(): ReplayCanvas | undefined;
  dispose(): void;
};

/**
 * Shows a session: its metadata, every view of its recorded run under one epoch scrubber,
 * and the notebook as text. Replay is data only: prose is sanitised and cell code is shown,
 * never evaluated, unless the reader chooses to run it after a warning.
 */
export function replayView(session: OpenedSession, options: ReplayOptions): ReplayElement {
  const { contents, report } = session;
  const root = document.createElement("div");
  root.dataset.view = "replay";

  const notice = document.createElement("div");
  notice.className = "notice";
  notice.dataset.role = "replay-notice";
  notice.textContent = `Replay of ${session.fileName}: these views draw the recorded results. None of the notebook's code runs.`;

  const meta = contents.meta;
  const facts = document.createElement("p");
  facts.className = "session-meta";
  facts.dataset.role = "session-meta";
  const libraries = Object.entries(meta.libraries).map(([name, version]) => `${name} ${version}`).join(", ");
  facts.textContent =
    `Recorded ${meta.createdAt} by ${meta.producer} (Carryover ${meta.carryoverVersion}) on ${meta.backend}, ` +
    `seed ${meta.seed ?? "none"}${libraries ? `; libraries: ${libraries}` : ""}.`;

  const toolbar = document.createElement("div");
  toolbar.className = "session-toolbar";
  const saveButton = Object.assign(document.createElement("button"), { type: "button", textContent: "Save session" });
  saveButton.dataset.role = "save-session";
  saveButton.addEventListener("click", () => options.save());
  const runButton = Object.assign(document.createElement("button"), { type: "button", textContent: "Run the cells…" });
  runButton.dataset.role = "run-cells";
  toolbar.append(saveButton, " ", runButton);
  const warning = runWarning(session, options);
  runButton.addEventListener("click", () => {
    warning.hidden = false;
  });

  const notebook = parseNotebook(contents.notebook.source, contents.notebook.fileName);
  const title = document.createElement("h1");
  title.textContent = notebook.title;
  const view = epochReplayView(report);

  const documentSection = document.createElement("section");
  documentSection.dataset.role = "notebook-text";
  const heading = document.createElement("h2");
  heading.textContent = `Notebook: ${contents.notebook.fileName}`;
  documentSection.append(heading);
  for (const block of notebook.blocks) {
    if (block.kind === "markdown") {
      const prose = document.createElement("div");
      prose.className = "prose";
      prose.append(renderUntrustedMarkdown(withoutFrontMatter(block.text)));
      documentSection.append(prose);
    } else {
      const code = document.createElement("pre");
      code.className = "cell-code";
      code.dataset.cell = block.id;
      code.textContent = block.source;
      documentSection.append(code);
    }
  }

  // The replay opens in the view the author saved in the notebook; an unknown value falls back to the document view and shows why.
  let saved: ViewName = "document";
  try {
    saved = notebookView(notebook);
  } catch (error) {
    notice.textContent += ` ${error instanceof Error ? error.message : String(error)}; showing the document view.`;
  }
  const body = document.createElement("div");
  let canvas: ReplayCanvas | undefined;
  let current: ViewName = "document";
  const switcher = viewSwitch((next) => setView(next));
  const setView = (next: ViewName) => {
    if (next === current) return;
    current = next;
    switcher.show(next);
    root.dataset.pageView = next;
    if (next === "document") {
      canvas?.detach();
      body.replaceChildren(view, documentSection);
      return;
    }
    // The canvas and the parser it reads cells with load on first use, so readers of the document view never download them.
    import("./replayCanvas.ts")
      .then(({ ReplayCanvas }) => {
        if (current !== "canvas") return;
        canvas ??= new ReplayCanvas(notebook, view);
        body.replaceChildren(canvas.element);
        canvas.attach();
      })
      .catch((error: unknown) => {
        notice.textContent += ` The canvas view failed to load: ${error instanceof Error ? error.message : String(error)}.`;
        setView("document");
      });
  };
  body.append(view, documentSection);
  root.append(notice, facts, toolbar, warning, title, switcher.element, body);
  // The canvas fits itself to the screen when it first opens, so it waits until the page shows the replay.
  if (saved === "canvas") requestAnimationFrame(() => setView("canvas"));
  return Object.assign(root, { view, summary: summarizeReport(report), setView, canvas: () => canvas, dispose: () => view.dispose() });
}

/** Builds the warning shown before a reader runs someone else's code, with the two ways out. */
function runWarning(session: OpenedSession, options: ReplayOptions): HTMLElement {
  const box = document.createElement("div");
  box.className = "notice";
  box.dataset.role = "run-warning";
  box.hidden = true;
  const { fileName, source } = session.contents.notebook;
  const text = document.createElement("p");
  const cancel = Object.assign(document.createElement("button"), { type: "button", textContent: "Cancel" });
  cancel.addEventListener("click", () => {
    box.hidden = true;
  });
  if (options.runCells) {
    text.textContent =
      `Running the cells executes the JavaScript in ${session.fileName} with this page's full rights: it can read what this site stores ` +
      "and send it anywhere. It also trains again, which can take minutes. Run it only if you trust whoever wrote the file.";
    const run = Object.assign(document.createElement("button"), { type: "button", textContent: "Run the code" });
    run.dataset.role = "confirm-run";
    run.addEventListener("click", () => options.runCells!(source, fileName));
    box.append(text, run, " ", cancel);
  } else {
    text.textContent =
      "This published page has no notebook runtime, so it cannot run the cells. Download the notebook's source and open it in " +
      "Carryover to run it; that executes its JavaScript with full rights, so do it only if you trust whoever wrote it.";
    const download = Object.assign(document.createElement("a"), { textContent: `Download ${fileName.split("/").pop()}`, download: fileName.split("/").pop() });
    download.href = URL.createObjectURL(new Blob([source], { type: "text/markdown" }));
    box.append(text, download, " ", cancel);
  }
  return box;
}
