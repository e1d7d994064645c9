import { formatCellError, type CellState } from "../runtime/index.ts";
import { renderValue, summarize } from "./inspect.ts";

/**
 * One cell on the page: its output (displayed values, or a one-line summary of each
 * declared name), its errors in place, and its source in an editor that re-runs it.
 */
export class CellView {
  readonly element: HTMLElement;
  private readonly output: HTMLElement;
  private readonly editor: HTMLTextAreaElement;
  private readonly cacheNote: HTMLDetailsElement;

  constructor(
    readonly id: string,
    source: string,
    onEdit: (id: string, source: string) => void,
  ) {
    this.element = document.createElement("section");
    this.element.className = "cell";
    this.element.dataset.cellId = id;
    this.element.dataset.status = "pending";
    this.output = document.createElement("div");
    this.output.className = "cell-output";

    const details = document.createElement("details");
    details.className = "cell-source";
    const summary = document.createElement("summary");
    summary.textContent = "source";
    this.editor = document.createElement("textarea");
    this.editor.value = source;
    this.editor.spellcheck = false;
    this.editor.rows = Math.min(20, source.split("\n").length + 1);
    const run = document.createElement("button");
    run.textContent = "Run";
    run.title = "Run this cell and the cells that use its names (Shift+Enter)";
    run.addEventListener("click", () => onEdit(id, this.editor.value));
    this.editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        onEdit(id, this.editor.value);
      }
    });
    details.append(summary, this.editor, run);
    // For a cached cell: computed, restored or resumed, with the reason one click away.
    this.cacheNote = document.createElement("details");
    this.cacheNote.className = "cell-cache";
    this.cacheNote.hidden = true;
    this.element.append(this.output, this.cacheNote, details);
  }

  /** Redraws the output from the runtime's current state of this cell. */
  render(state: CellState): void {
    this.element.dataset.status = state.status === "rejected" ? "error" : state.status;
    if (state.cache) {
      const summary = document.createElement("summary");
      summary.textContent = state.cache.status;
      const reason = document.createElement("span");
      reason.textContent = state.cache.storeError ? `${state.cache.reason}. ${state.cache.storeError}` : state.cache.reason;
      this.cacheNote.replaceChildren(summary, reason);
      this.cacheNote.hidden = false;
      this.element.dataset.cache = state.cache.status;
    }
    const nodes: Node[] = [];
    for (const error of state.errors) {
      const box = document.createElement("pre");
      box.className = "cell-error";
      box.textContent = formatCellError(error);
      nodes.push(box);
    }
    if (state.displayed.length > 0) {
      for (const value of state.displayed) nodes.push(renderValue(value));
    } else if (state.errors.length === 0) {
      for (const [name, value] of state.values) {
        if (value instanceof Node) nodes.push(value);
        else {
          const line = document.createElement("code");
          line.className = "inspect";
          line.textContent = `${name} = ${summarize(value, 1)}`;
          nodes.push(line);
        }
      }
    }
    // Replacing children that are already in place would restart a canvas's drawing, so only changes are applied.
    const current = [...this.output.childNodes];
    if (current.length !== nodes.length || current.some((node, i) => node !== nodes[i])) this.output.replaceChildren(...nodes);
  }
}
