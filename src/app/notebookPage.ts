import * as tf from "@tensorflow/tfjs";
import { marked } from "marked";
import { carryoverVersion } from "../cells/version.ts";
import { NotebookRuntime, notebookView, parseNotebook, withoutFrontMatter, type CacheStore, type CellState, type Notebook } from "../runtime/index.ts";
import { hashAdapters } from "./cacheAdapters.ts";
import { storagePanel } from "./storagePanel.ts";
import { CellView } from "./cellView.ts";
import { notebookLibrary } from "./library.ts";
import { NotebookCanvas } from "./canvas/notebookCanvas.ts";
import { postView } from "./canvas/layoutSaver.ts";
import { viewSwitch, type ViewName } from "./viewSwitch.ts";

/** The document view of a notebook: prose rendered from Markdown, and a live view per cell. */
export class NotebookPage {
  readonly runtime: NotebookRuntime;
  notebook: Notebook | undefined;
  private readonly views = new Map<string, CellView>();
  private readonly dirty = new Set<string>();
  private frame = 0;
  /** The document view's nodes in order: storage panel, prose and cell elements. */
  private documentNodes: Node[] = [];
  /** Created the first time the canvas view opens. */
  canvas: NotebookCanvas | undefined;
  view: ViewName = "document";
  private readonly switcher = viewSwitch((view) => this.chooseView(view));
  /** The view the notebook file stores, which the page opens in. */
  savedView: ViewName = "document";
  /** The last view save's error message, or null after a save succeeds. */
  viewSaveError: string | null = null;
  private viewSaving: Promise<void> = Promise.resolve();
  /** The storage panel, when the page has a cache. */
  readonly storage: ReturnType<typeof storagePanel> | undefined;

  /**
   * Creates the page for one notebook. With a store, cells marked `cache` restore their
   * results from it; without one, every cell computes.
   */
  constructor(
    private readonly root: HTMLElement,
    overrides: Record<string, unknown>,
    text: string,
    fileName: string,
    store: CacheStore | undefined,
  ) {
    const changed = (cellId: string) => this.schedule(cellId);
    const notebook = parseNotebook(text, fileName);
    this.runtime = new NotebookRuntime({
      library: notebookLibrary,
      builtins: { overrides },
      observer: { pending: changed, fulfilled: changed, rejected: changed, displayed: changed, cached: changed },
      cache: store && {
        store,
        notebook: fileName,
        libraryVersion: carryoverVersion,
        // Results differ by backend, so the backend is part of every key. The engine's name is read without initialising one.
        backend: () => tf.engine().backendName,
        adapters: hashAdapters,
      },
    });
    this.storage = store && storagePanel(store, fileName);
    this.open(notebook);
  }

  /** Renders and runs a notebook, replacing whatever the page showed. */
  private open(notebook: Notebook): void {
    this.notebook = notebook;
    document.title = `${notebook.title} · Carryover`;
    this.views.clear();
    const nodes: Node[] = [];
    for (const block of notebook.blocks) {
      if (block.kind === "markdown") {
        const prose = document.createElement("div");
        prose.className = "prose";
        // Notebook prose is the author's own text, so it is rendered as written.
        prose.innerHTML = marked.parse(withoutFrontMatter(block.text), { async: false });
        nodes.push(prose);
      } else {
        const view = new CellView(block.id, block.source, (id, source) => this.runtime.updateCell(id, source));
        this.views.set(block.id, view);
        nodes.push(view.element);
      }
    }
    this.documentNodes = [...(this.storage ? [this.storage] : []), ...nodes];
    this.root.replaceChildren(this.switcher.element, ...this.documentNodes);
    this.runtime.load(notebook);
    try {
      this.savedView = notebookView(notebook);
    } catch (error) {
      // A bad setting costs only the choice of view: the notebook opens in the document view and shows why.
      const notice = document.createElement("div");
      notice.className = "notice";
      notice.textContent = `${error instanceof Error ? error.message : String(error)}. The notebook opened in the document view.`;
      this.documentNodes.unshift(notice);
      this.root.replaceChildren(this.switcher.element, ...this.documentNodes);
    }
    this.setView(this.savedView);
  }

  /** Shows the view the reader picked with the switch and saves it into the notebook file through the dev server. */
  private chooseView(view: ViewName): void {
    this.setView(view);
    if (view === this.savedView || !this.notebook) return;
    this.savedView = view;
    const path = this.notebook.fileName;
    this.viewSaving = this.viewSaving.then(async () => {
      try {
        await postView(path, view);
        this.viewSaveError = null;
        this.switcher.element.querySelector("[data-role=view-save-error]")?.remove();
      } catch (error) {
        this.viewSaveError = error instanceof Error ? error.message : String(error);
        console.warn(`carryover: ${this.viewSaveError}`);
        // The switch stays at the top of both views, so the reason shows next to it.
        const notice = document.createElement("span");
        notice.className = "notice";
        notice.dataset.role = "view-save-error";
        notice.textContent = `${this.viewSaveError}. The page keeps this view until it reloads.`;
        this.switcher.element.querySelector("[data-role=view-save-error]")?.remove();
        this.switcher.element.append(notice);
      }
    });
  }

  /** Resolves once every view and layout change made so far has been saved or has failed. */
  async flush(): Promise<void> {
    await this.viewSaving;
    await this.canvas?.flush();
  }

  /**
   * Shows the document or the canvas view. Both show the same cell elements, moved from one
   * view to the other, so no cell runs again and every value, chart and editor stays as it was.
   */
  setView(view: ViewName): void {
    if (view === this.view) return;
    this.view = view;
    this.switcher.show(view);
    this.root.dataset.pageView = view;
    if (view === "document") {
      this.root.replaceChildren(this.switcher.element, ...this.documentNodes);
      return;
    }
    const elements = new Map([...this.views].map(([id, cellView]) => [id, cellView.element]));
    this.canvas ??= new NotebookCanvas(this.notebook!, this.runtime, elements, (notebook) => (this.notebook = notebook));
    this.root.replaceChildren(this.switcher.element, this.canvas.element);
    this.canvas.attach();
  }

  cellStates(): CellState[] {
    return this.runtime.cellIds().map((id) => this.runtime.cellState(id));
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.runtime.dispose();
  }

  /** Coalesces runtime events into one redraw per animation frame. */
  private schedule(cellId: string): void {
    this.dirty.add(cellId);
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const id of this.dirty) {
        const view = this.views.get(id);
        if (view && this.runtime.cellIds().includes(id)) view.render(this.runtime.cellState(id));
      }
      this.dirty.clear();
      if (this.view === "canvas") this.canvas?.refresh();
    });
  }
}
