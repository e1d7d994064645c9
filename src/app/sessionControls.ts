import type { HeadlessApi } from "./headless.ts";
import { replayView, type ReplayElement } from "./replayView.ts";
import { downloadBytes, encodeSession, openSession, sessionFileName, type OpenedSession } from "./session.ts";

/** Largest session file the page reads, in bytes; a larger file is rejected before it is read. */
const maxSessionBytes = 1 << 30;

/**
 * Adds an "Open session…" file picker and a drop target covering the whole page. A chosen
 * or dropped file is read and checked. A valid session goes to `onOpen`. A bad one shows
 * its message in the returned element's error box and leaves the page as it was.
 */
export function sessionOpener(onOpen: (session: OpenedSession) => void): HTMLElement & { showError(caught: unknown): void } {
  const root = document.createElement("div");
  root.className = "session-opener";
  const label = document.createElement("label");
  const input = Object.assign(document.createElement("input"), { type: "file", accept: ".carryover,application/octet-stream" });
  input.dataset.role = "open-session";
  label.append("Open session… ", input);
  const error = document.createElement("pre");
  error.className = "cell-error";
  error.dataset.role = "session-error";
  error.hidden = true;
  root.append(label, error);

  const showError = (caught: unknown) => {
    error.textContent = caught instanceof Error ? caught.message : String(caught);
    error.hidden = false;
    console.warn("carryover: session not opened", caught);
  };
  const open = async (file: File) => {
    error.hidden = true;
    try {
      if (file.size > maxSessionBytes) {
        throw new Error(`invalid session file ${JSON.stringify(file.name)}: ${file.size} bytes (the page reads at most ${maxSessionBytes} bytes).`);
      }
      onOpen(openSession(new Uint8Array(await file.arrayBuffer()), file.name));
    } catch (caught) {
      showError(caught);
    }
  };
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    input.value = "";
    if (file) void open(file);
  });
  document.addEventListener("dragover", (event) => {
    if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
  });
  document.addEventListener("drop", (event) => {
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    void open(file);
  });
  return Object.assign(root, { showError });
}

/**
 * Adds the session toolbar above the notebook page: "Save session" downloads the open
 * notebook with its recorded results, and opening a session replaces the live notebook with
 * its replay. Running the replayed cells is the reader's choice, behind a warning.
 */
export function installSessionToolbar(root: HTMLElement, api: HeadlessApi): void {
  const toolbar = document.createElement("div");
  toolbar.className = "session-toolbar";
  const save = Object.assign(document.createElement("button"), { type: "button", textContent: "Save session" });
  save.dataset.role = "save-session";
  let replay: ReplayElement | undefined;
  const opener = sessionOpener((session) => {
    api.page()?.dispose();
    replay?.dispose();
    replay = replayView(session, {
      save: () => downloadBytes(encodeSession(session.contents, session.fileName), sessionFileName(session.contents.notebook.fileName)),
      runCells: (source, fileName) => {
        replay?.dispose();
        replay = undefined;
        void api.open(source, fileName, {});
      },
    });
    root.replaceChildren(replay);
  });
  save.addEventListener("click", () => {
    const bytes = api.sessionBytes();
    const notebook = api.page()?.notebook;
    if (!bytes || !notebook) {
      opener.showError("missing report: this notebook has not recorded a run yet (its `report` cell has no value). Wait until it finishes, then save.");
      return;
    }
    downloadBytes(bytes, sessionFileName(notebook.fileName));
  });
  toolbar.append(save, opener);
  root.before(toolbar);
}
