import type { EpochReplayElement, EpochReplayPart } from "../cells/views/epochReplay.ts";
import { cellLayout, type CellLayout } from "../runtime/cell-layout.ts";
import type { Notebook, NotebookCell } from "../runtime/notebook.ts";
import { CanvasView, type CanvasCell } from "./canvas/canvasView.ts";
import { cellNames } from "./canvas/cellNames.ts";
import { nodeTitle } from "./canvas/nodeState.ts";

/** Titles of the replayed views that no cell of the notebook draws; they get nodes of their own. */
const PART_TITLES: Record<EpochReplayPart, string> = {
  transfer: "transferability",
  figures: "figures of the epoch",
  accuracy: "accuracy curves",
  loss: "loss curves",
  classes: "per-class table",
  projection: "projection",
  selection: "selected instances",
};

/** Finds the replayed view a cell draws, from the library function it imports. */
export function replayPartOf(source: string): EpochReplayPart | undefined {
  const imported = cellNames(source)?.imported ?? [];
  if (imported.includes("curvesView")) return /["']loss["']/.test(source) ? "loss" : "accuracy";
  if (imported.includes("classTableView")) return "classes";
  if (imported.includes("projectionView")) return "projection";
  if (imported.includes("selectionSummaryView")) return "selection";
  if (imported.includes("runStatusView") || imported.includes("transferView")) return "transfer";
  return undefined;
}

/**
 * The canvas view of a replay. Each cell is a node at the place its `canvas=` option stores.
 * The node's body is the replayed view that the cell draws, or else the cell's source as text.
 * Each replayed view that no cell draws gets a node of its own. The canvas is the notebook
 * page's own, and it only moves elements: no cell's code runs, and moved nodes are not saved.
 */
export class ReplayCanvas {
  readonly element: HTMLElement;
  readonly view: CanvasView;
  /** Marks where each moved element sits in the document view, so that it can go back. */
  private readonly placeholders = new Map<HTMLElement, Comment>();

  constructor(notebook: Notebook, private readonly replay: EpochReplayElement) {
    this.element = document.createElement("div");
    this.element.className = "canvas-panel";
    const notices = document.createElement("div");
    notices.className = "canvas-notices";
    const cells = this.nodes(notebook, notices);
    this.view = new CanvasView(cells, { onLayoutChange: () => {} });
    this.view.setStates(() => "done");
    this.element.append(notices, this.view.element);
    for (const element of [replay.controls, ...replay.parts.values()]) this.placeholders.set(element, document.createComment("replayed view"));
  }

  /** Builds a node for each cell, then one for each replayed view that no cell draws. */
  private nodes(notebook: Notebook, notices: HTMLElement): CanvasCell[] {
    const claimed = new Set<EpochReplayPart>();
    const cells: CanvasCell[] = [];
    for (const cell of notebook.blocks.filter((block): block is NotebookCell => block.kind === "cell")) {
      const names = cellNames(cell.source);
      let layout: CellLayout | undefined;
      try {
        layout = cellLayout(cell.options, cell.id);
      } catch (error) {
        const notice = Object.assign(document.createElement("div"), { className: "notice" });
        notice.textContent = `${notebook.fileName} line ${cell.line - 1}: ${error instanceof Error ? error.message : String(error)}. The cell was placed automatically.`;
        notices.append(notice);
      }

      const part = replayPartOf(cell.source);
      let element = part && !claimed.has(part) ? this.replay.parts.get(part) : undefined;
      if (element) claimed.add(part!);
      else {
        element = document.createElement("pre");
        element.className = "cell-code";
        element.dataset.cell = cell.id;
        element.textContent = cell.source;
      }
      const outputs = names?.outputs ?? [];
      cells.push({ id: cell.id, inputs: names?.inputs ?? [], outputs, title: nodeTitle(cell.id, outputs, cell.source), layout, element });
    }

    const ids = new Set(cells.map((cell) => cell.id));
    for (const [part, element] of this.replay.parts) {
      if (claimed.has(part)) continue;
      let id = `replay-${part}`;
      while (ids.has(id)) id += "-view";
      ids.add(id);
      cells.push({ id, inputs: [], outputs: [], title: PART_TITLES[part], layout: undefined, element });
    }
    return cells;
  }

  /** Moves the replayed views into their nodes; call after the panel is in the document. */
  attach(): void {
    for (const [element, placeholder] of this.placeholders) if (!placeholder.parentNode) element.before(placeholder);
    this.element.insertBefore(this.replay.controls, this.view.element);
    this.view.attach();
  }

  /** Puts every moved view back where the document view shows it. */
  detach(): void {
    for (const [element, placeholder] of this.placeholders) if (placeholder.parentNode) placeholder.replaceWith(element);
  }
}
