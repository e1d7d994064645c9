import type { CellLayout } from "../../runtime/index.ts";
import type { NodeState } from "./nodeState.ts";

/** One cell on the canvas: a header to drag, the cell's own element as the body, and a corner to resize. */
export class CanvasNode {
  readonly element: HTMLElement;
  readonly header: HTMLElement;
  readonly body: HTMLElement;
  readonly resizeHandle: HTMLElement;
  private readonly badge: HTMLElement;
  layout: CellLayout;

  constructor(
    readonly id: string,
    readonly title: string,
    layout: CellLayout,
  ) {
    this.layout = layout;
    this.element = document.createElement("div");
    this.element.className = "canvas-node";
    this.element.dataset.cellId = id;
    this.element.dataset.state = "running";
    this.header = document.createElement("div");
    this.header.className = "canvas-node-header";
    this.header.title = `${title} (cell ${id}): drag to move`;
    const name = document.createElement("span");
    name.className = "canvas-node-title";
    name.textContent = title;
    this.badge = document.createElement("span");
    this.badge.className = "canvas-node-state";
    this.header.append(name, this.badge);
    this.body = document.createElement("div");
    this.body.className = "canvas-node-body";
    this.resizeHandle = document.createElement("div");
    this.resizeHandle.className = "canvas-node-resize";
    this.resizeHandle.title = "Drag to resize";
    this.element.append(this.header, this.body, this.resizeHandle);
    this.place(layout);
  }

  /** Moves and sizes the node, in world pixels. */
  place(layout: CellLayout): void {
    this.layout = layout;
    const style = this.element.style;
    style.left = `${layout.x}px`;
    style.top = `${layout.y}px`;
    style.width = `${layout.width}px`;
    style.height = `${layout.height}px`;
  }

  setState(state: NodeState): void {
    if (this.element.dataset.state === state) return;
    this.element.dataset.state = state;
    this.badge.textContent = state === "done" ? "" : state;
  }

  /** Culled nodes keep their frame but skip rendering their output. */
  setCulled(culled: boolean): void {
    if (culled === (this.element.dataset.culled !== undefined)) return;
    if (culled) this.element.dataset.culled = "";
    else delete this.element.dataset.culled;
  }

  setRelation(relation: "selected" | "input" | "dependent" | undefined): void {
    if (relation) this.element.dataset.related = relation;
    else delete this.element.dataset.related;
  }
}
