import { cellLayout, withCellLayout, type CellLayout, type Notebook, type NotebookCell, type NotebookRuntime } from "../../runtime/index.ts";
import { CanvasView, type CanvasCell } from "./canvasView.ts";
import { postLayout } from "./layoutSaver.ts";
import { nodeState, nodeTitle } from "./nodeState.ts";

/**
 * The canvas view of one open notebook. It builds the CanvasView from the notebook's cells and
 * the names the runtime found in them, and keeps node states current. Every move or resize is
 * saved into the notebook file through the dev server, one save at a time and in order.
 */
export class NotebookCanvas {
  readonly element: HTMLElement;
  view: CanvasView;
  /** Layout changes written to the file so far. */
  savedCount = 0;
  /** The last save's error message, or null after a save succeeds. */
  saveError: string | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly notices: HTMLElement;
  private signature: string;

  constructor(
    private notebook: Notebook,
    private readonly runtime: NotebookRuntime,
    private readonly cellElements: ReadonlyMap<string, HTMLElement>,
    private readonly onNotebookChange: (notebook: Notebook) => void,
  ) {
    this.element = document.createElement("div");
    this.element.className = "canvas-panel";
    this.notices = document.createElement("div");
    this.notices.className = "canvas-notices";
    this.signature = this.graphSignature();
    this.view = this.createView();
    this.element.append(this.notices, this.view.element);
  }

  /** Moves the cell elements into the canvas; call after the panel is in the document. */
  attach(): void {
    this.view.attach();
    this.refresh();
  }

  /** Shows the cells' current states, and redraws the graph when an edit changed which names a cell declares or reads. */
  refresh(): void {
    const signature = this.graphSignature();
    if (signature !== this.signature) {
      this.signature = signature;
      const viewport = this.view.view;
      const selected = this.view.selection;
      const next = this.createView();
      this.view.element.replaceWith(next.element);
      this.view = next;
      next.attach();
      next.view = viewport;
      if (selected) next.select(selected);
    }
    const states = new Map(this.runtime.cellIds().map((id) => [id, this.runtime.cellState(id)]));
    const inputsOf = new Map<string, string[]>();
    for (const connector of this.view.connectors) inputsOf.set(connector.to, [...(inputsOf.get(connector.to) ?? []), connector.from]);
    this.view.setStates((id) => {
      const state = states.get(id)!;
      const inputPending = (inputsOf.get(id) ?? []).some((input) => states.get(input)?.status === "pending");
      return nodeState(state, inputPending);
    });
  }

  /** Resolves once every layout change made so far has been saved or has failed. */
  async flush(): Promise<void> {
    await this.saving;
  }

  private cells(): NotebookCell[] {
    return this.notebook.blocks.filter((block): block is NotebookCell => block.kind === "cell");
  }

  private createView(): CanvasView {
    const invalid: string[] = [];
    const cells = this.cells().map((cell): CanvasCell => {
      const state = this.runtime.cellState(cell.id);
      let layout: CellLayout | undefined;
      try {
        layout = cellLayout(cell.options, cell.id);
      } catch (error) {
        invalid.push(`${this.notebook.fileName} line ${cell.line - 1}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return {
        id: cell.id,
        inputs: state.inputs,
        outputs: state.outputs,
        title: nodeTitle(cell.id, state.outputs, cell.source),
        layout,
        element: this.cellElements.get(cell.id)!,
      };
    });
    for (const message of invalid) this.notify(`${message}. The cell was placed automatically.`);
    return new CanvasView(cells, { onLayoutChange: (id, layout) => this.save(id, layout) });
  }

  private save(id: string, layout: CellLayout): void {
    const cell = this.cells().find((block) => block.id === id)!;
    this.notebook = withCellLayout(this.notebook, id, layout);
    this.onNotebookChange(this.notebook);
    this.saving = this.saving.then(async () => {
      try {
        await postLayout(this.notebook.fileName, id, cell.source, layout);
        this.savedCount += 1;
        this.saveError = null;
      } catch (error) {
        this.saveError = error instanceof Error ? error.message : String(error);
        console.warn(`carryover: ${this.saveError}`);
        this.notify(`${this.saveError}. The new place is kept until you reload this page.`);
      }
    });
  }

  private notify(message: string): void {
    const notice = document.createElement("div");
    notice.className = "notice";
    notice.textContent = message;
    this.notices.append(notice);
  }

  /** Names each cell declares and reads, which decide the connectors. */
  private graphSignature(): string {
    return JSON.stringify(this.runtime.cellIds().map((id) => {
      const state = this.runtime.cellState(id);
      return [id, state.inputs, state.outputs];
    }));
  }
}
