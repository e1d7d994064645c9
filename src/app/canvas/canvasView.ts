import { MIN_NODE_SIZE, type CellLayout } from "../../runtime/cell-layout.ts";
import { autoLayout } from "./autoLayout.ts";
import { CanvasNode } from "./canvasNode.ts";
import { ConnectorLayer } from "./connectorLayer.ts";
import { dataFlow, neighbours, type Connector, type GraphCell } from "./graph.ts";
import type { NodeState } from "./nodeState.ts";
import { CanvasSearch } from "./search.ts";
import { fitRect, intersects, union, visibleWorld, zoomAt, type Viewport } from "./viewport.ts";

/** A cell as the canvas needs it: its place when the notebook stores one, and the element that shows it. */
export interface CanvasCell extends GraphCell {
  readonly title: string;
  readonly layout: CellLayout | undefined;
  readonly element: HTMLElement;
}

export interface CanvasOptions {
  /** Called once at the end of each move or resize, with the node's new place. */
  readonly onLayoutChange: (id: string, layout: CellLayout) => void;
  /** Skip rendering the outputs of nodes outside the screen. Default true; the benchmark turns it off to compare. */
  readonly cullOffscreen?: boolean;
}

/** Nodes within this many screen pixels of the edge still render, so that a short pan shows no blank frame. */
const CULL_MARGIN = 200;
/** Below this zoom, nodes show their title only: outputs would be too small to read. */
const TITLE_ONLY_SCALE = 0.25;
const PAN_STEP = 80;

/**
 * The canvas view of a notebook: every cell a node on a surface that pans and zooms, with
 * connectors for the names that flow between cells. The cell elements are moved in, not
 * copied, so their values, charts and editors stay as they were.
 */
export class CanvasView {
  readonly element: HTMLElement;
  readonly connectors: readonly Connector[];
  private readonly world: HTMLElement;
  private readonly layer: ConnectorLayer;
  private readonly nodes = new Map<string, CanvasNode>();
  private readonly cells: readonly CanvasCell[];
  private readonly search: CanvasSearch;
  private viewport: Viewport = { x: 0, y: 0, scale: 1 };
  private selected: string | undefined;
  private frame = 0;
  private fitted = false;
  private cullOffscreen: boolean;

  constructor(cells: readonly CanvasCell[], private readonly options: CanvasOptions) {
    this.cells = cells;
    this.cullOffscreen = options.cullOffscreen ?? true;
    this.connectors = dataFlow(cells);
    this.element = document.createElement("div");
    this.element.className = "canvas-view";
    this.element.tabIndex = 0;
    this.element.setAttribute("aria-label", "Canvas view: drag to pan, Ctrl+wheel to zoom, F to fit, Z to zoom to the selected cell, / to find a cell");
    this.world = document.createElement("div");
    this.world.className = "canvas-world";
    this.layer = new ConnectorLayer(this.connectors);
    this.world.append(this.layer.element);

    const placed = cells.filter((cell) => cell.layout);
    const bottom = placed.length > 0 ? Math.max(...placed.map((cell) => cell.layout!.y + cell.layout!.height)) + 120 : 0;
    const automatic = autoLayout(cells.filter((cell) => !cell.layout), this.connectors, bottom);
    for (const cell of cells) {
      const node = new CanvasNode(cell.id, cell.title, cell.layout ?? automatic.get(cell.id)!);
      this.nodes.set(cell.id, node);
      this.world.append(node.element);
    }
    this.layer.draw((id) => this.nodes.get(id)!.layout);

    const help = document.createElement("div");
    help.className = "canvas-help";
    help.textContent = "Drag the background to pan · Ctrl+wheel or +/− to zoom · F fit · Z zoom to selection · / find · click a connector to follow it";
    this.search = new CanvasSearch(() => this.cells, (id) => this.jumpTo(id));
    this.element.append(this.world, help, this.search.element);
    this.listen();
  }

  /** Moves the cell elements into their nodes; the first time, also fits the notebook to the screen. */
  attach(): void {
    for (const cell of this.cells) this.nodes.get(cell.id)!.body.append(cell.element);
    if (!this.fitted && this.element.isConnected) {
      this.fitted = true;
      this.fit();
    } else {
      this.apply();
    }
  }

  get view(): Viewport {
    return this.viewport;
  }

  set view(view: Viewport) {
    this.viewport = view;
    this.scheduleApply();
  }

  /** Applies the viewport now instead of on the next frame; the benchmark calls it to time one frame's work. */
  applyNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.apply();
  }

  setCulling(enabled: boolean): void {
    this.cullOffscreen = enabled;
    this.apply();
  }

  layoutOf(id: string): CellLayout {
    return this.node(id).layout;
  }

  /** Fits every node on the screen. */
  fit(): void {
    const bounds = union([...this.nodes.values()].map((node) => node.layout));
    if (bounds) this.view = fitRect(bounds, this.element.clientWidth, this.element.clientHeight);
  }

  /** Zooms to the selected node, or fits everything when nothing is selected. */
  zoomToSelection(): void {
    if (!this.selected) return this.fit();
    this.view = fitRect(this.node(this.selected).layout, this.element.clientWidth, this.element.clientHeight, 48, 1.5);
  }

  /** Selects a cell and centres it, zooming out only if it does not fit at the current zoom. */
  jumpTo(id: string): void {
    this.select(id);
    const layout = this.node(id).layout;
    const width = this.element.clientWidth;
    const height = this.element.clientHeight;
    const fitted = fitRect(layout, width, height, 48, this.viewport.scale);
    this.view = fitted;
  }

  select(id: string | undefined): void {
    if (id !== undefined) this.node(id);
    this.selected = id;
    const related = id ? neighbours(this.connectors, id) : { inputs: new Set<string>(), dependents: new Set<string>() };
    for (const node of this.nodes.values()) {
      node.setRelation(node.id === id ? "selected" : related.inputs.has(node.id) ? "input" : related.dependents.has(node.id) ? "dependent" : undefined);
    }
    this.layer.setSelection(id);
    if (id) this.element.dataset.selected = id;
    else delete this.element.dataset.selected;
  }

  get selection(): string | undefined {
    return this.selected;
  }

  /** Shows each cell's state on its node and on the connectors that leave it. */
  setStates(stateOf: (id: string) => NodeState): void {
    for (const node of this.nodes.values()) node.setState(stateOf(node.id));
    this.layer.setStates(stateOf);
  }

  /** Places a node, redrawing its connectors. Does not report a layout change. */
  place(id: string, layout: CellLayout): void {
    this.node(id).place(layout);
    this.layer.draw((cell) => this.nodes.get(cell)!.layout, new Set([id]));
    this.scheduleApply();
  }

  private node(id: string): CanvasNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`cell not found on the canvas: ${JSON.stringify(id)} (expected the id of a cell in the open notebook)`);
    return node;
  }

  private scheduleApply(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.apply();
    });
  }

  /** Sets the world's transform and culls the nodes that the screen does not show. */
  private apply(): void {
    const { x, y, scale } = this.viewport;
    this.world.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    const titleOnly = scale < TITLE_ONLY_SCALE;
    if (titleOnly !== (this.element.dataset.titleOnly !== undefined)) {
      if (titleOnly) this.element.dataset.titleOnly = "";
      else delete this.element.dataset.titleOnly;
    }
    const visible = visibleWorld(this.viewport, this.element.clientWidth, this.element.clientHeight, CULL_MARGIN);
    for (const node of this.nodes.values()) node.setCulled(this.cullOffscreen && (titleOnly || !intersects(node.layout, visible)));
  }

  private listen(): void {
    this.element.addEventListener("pointerdown", (event) => this.pointerDown(event));
    this.element.addEventListener("wheel", (event) => this.wheel(event), { passive: false });
    this.element.addEventListener("keydown", (event) => this.key(event));
  }

  private pointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    const target = event.target as Element;
    const connector = target.closest<SVGGElement>(".canvas-connector");
    if (connector) {
      event.preventDefault();
      this.follow(this.connectors[Number(connector.dataset.index)]);
      return;
    }
    const nodeElement = target.closest<HTMLElement>(".canvas-node");
    if (nodeElement) {
      const node = this.node(nodeElement.dataset.cellId!);
      // Focus stays on the canvas, so that its keys work after a click, unless the click enters a control of the cell.
      if (!target.closest("input, textarea, select, button, summary, a, [contenteditable]")) this.element.focus({ preventScroll: true });
      if (this.selected !== node.id) this.select(node.id);
      if (target.closest(".canvas-node-resize")) this.drag(event, node, "resize");
      else if (target.closest(".canvas-node-header")) this.drag(event, node, "move");
      return;
    }
    if (target.closest(".canvas-search, .canvas-help")) return;
    this.pan(event);
  }

  /** Follows a connector to its other end: from the selected reading cell back to its input, otherwise forward to the reader. */
  private follow(connector: Connector): void {
    this.jumpTo(this.selected === connector.to ? connector.from : connector.to);
  }

  private drag(event: PointerEvent, node: CanvasNode, mode: "move" | "resize"): void {
    event.preventDefault();
    const start = node.layout;
    const { clientX, clientY, pointerId } = event;
    const handle = event.target as HTMLElement;
    handle.setPointerCapture(pointerId);
    let moved = false;
    const move = (next: PointerEvent) => {
      const dx = (next.clientX - clientX) / this.viewport.scale;
      const dy = (next.clientY - clientY) / this.viewport.scale;
      moved ||= Math.abs(dx) + Math.abs(dy) > 0;
      const layout =
        mode === "move"
          ? { ...start, x: Math.round(start.x + dx), y: Math.round(start.y + dy) }
          : { ...start, width: Math.round(Math.max(MIN_NODE_SIZE, start.width + dx)), height: Math.round(Math.max(MIN_NODE_SIZE, start.height + dy)) };
      this.place(node.id, layout);
    };
    const end = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", end);
      handle.removeEventListener("pointercancel", end);
      if (moved) this.options.onLayoutChange(node.id, node.layout);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", end);
    handle.addEventListener("pointercancel", end);
  }

  private pan(event: PointerEvent): void {
    event.preventDefault();
    this.element.focus({ preventScroll: true });
    const start = this.viewport;
    const { clientX, clientY, pointerId } = event;
    this.element.setPointerCapture(pointerId);
    let moved = false;
    const move = (next: PointerEvent) => {
      moved ||= Math.abs(next.clientX - clientX) + Math.abs(next.clientY - clientY) > 2;
      this.view = { ...start, x: start.x + next.clientX - clientX, y: start.y + next.clientY - clientY };
    };
    const end = () => {
      this.element.removeEventListener("pointermove", move);
      this.element.removeEventListener("pointerup", end);
      this.element.removeEventListener("pointercancel", end);
      if (!moved) this.select(undefined);
    };
    this.element.addEventListener("pointermove", move);
    this.element.addEventListener("pointerup", end);
    this.element.addEventListener("pointercancel", end);
  }

  private wheel(event: WheelEvent): void {
    const target = event.target as Element;
    // A wheel over a node's output scrolls that output; with Ctrl or Cmd held it zooms instead.
    if (!event.ctrlKey && !event.metaKey && target.closest(".canvas-node-body")) return;
    event.preventDefault();
    const box = this.element.getBoundingClientRect();
    if (event.ctrlKey || event.metaKey) {
      this.view = zoomAt(this.viewport, Math.exp(-event.deltaY * 0.002), event.clientX - box.left, event.clientY - box.top);
    } else {
      this.view = { ...this.viewport, x: this.viewport.x - event.deltaX, y: this.viewport.y - event.deltaY };
    }
  }

  private key(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("input, textarea, select, [contenteditable]") || event.altKey || event.ctrlKey || event.metaKey) return;
    const centre = () => [this.element.clientWidth / 2, this.element.clientHeight / 2] as const;
    const actions: Record<string, () => void> = {
      f: () => this.fit(),
      z: () => this.zoomToSelection(),
      "/": () => this.search.open(),
      "+": () => (this.view = zoomAt(this.viewport, 1.25, ...centre())),
      "=": () => (this.view = zoomAt(this.viewport, 1.25, ...centre())),
      "-": () => (this.view = zoomAt(this.viewport, 0.8, ...centre())),
      ArrowLeft: () => (this.view = { ...this.viewport, x: this.viewport.x + PAN_STEP }),
      ArrowRight: () => (this.view = { ...this.viewport, x: this.viewport.x - PAN_STEP }),
      ArrowUp: () => (this.view = { ...this.viewport, y: this.viewport.y + PAN_STEP }),
      ArrowDown: () => (this.view = { ...this.viewport, y: this.viewport.y - PAN_STEP }),
      Escape: () => this.select(undefined),
    };
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
}
