import type { CellLayout } from "../../runtime/index.ts";
import type { Connector } from "./graph.ts";
import type { NodeState } from "./nodeState.ts";

const SVG = "http://www.w3.org/2000/svg";

/** Draws the connectors in world coordinates, from the right edge of the cell that declares the names to the left edge of the one that reads them. */
export class ConnectorLayer {
  readonly element: SVGSVGElement;
  private readonly groups: SVGGElement[] = [];

  constructor(readonly connectors: readonly Connector[]) {
    this.element = document.createElementNS(SVG, "svg");
    this.element.classList.add("canvas-connectors");
    const defs = document.createElementNS(SVG, "defs");
    const marker = document.createElementNS(SVG, "marker");
    marker.id = "canvas-arrow";
    for (const [name, value] of Object.entries({ viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto" })) {
      marker.setAttribute(name, value);
    }
    const arrow = document.createElementNS(SVG, "path");
    arrow.setAttribute("d", "M0,0 L10,5 L0,10 z");
    arrow.setAttribute("fill", "context-stroke");
    marker.append(arrow);
    defs.append(marker);
    this.element.append(defs);
    connectors.forEach((connector, index) => {
      const group = document.createElementNS(SVG, "g");
      group.classList.add("canvas-connector");
      group.dataset.from = connector.from;
      group.dataset.to = connector.to;
      group.dataset.index = String(index);
      const hit = document.createElementNS(SVG, "path");
      hit.classList.add("canvas-connector-hit");
      const line = document.createElementNS(SVG, "path");
      line.classList.add("canvas-connector-line");
      line.setAttribute("marker-end", "url(#canvas-arrow)");
      const label = document.createElementNS(SVG, "text");
      label.classList.add("canvas-connector-label");
      label.textContent = connector.names.join(", ");
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${connector.names.join(", ")}: ${connector.from} → ${connector.to} (click to follow)`;
      group.append(title, hit, line, label);
      this.groups.push(group);
      this.element.append(group);
    });
  }

  /** Redraws the connectors that touch any of the cells, or all of them. */
  draw(layoutOf: (id: string) => CellLayout, cells?: ReadonlySet<string>): void {
    this.connectors.forEach((connector, index) => {
      if (cells && !cells.has(connector.from) && !cells.has(connector.to)) return;
      const from = layoutOf(connector.from);
      const to = layoutOf(connector.to);
      const { d, sx, sy, tx, ty } = connectorPath(from, to);
      const group = this.groups[index];
      const [, hit, line, label] = group.children as unknown as [SVGElement, SVGPathElement, SVGPathElement, SVGTextElement];
      hit.setAttribute("d", d);
      line.setAttribute("d", d);
      // The midpoint of this symmetric cubic curve lies halfway between its ends.
      label.setAttribute("x", String((sx + tx) / 2));
      label.setAttribute("y", String((sy + ty) / 2 - 6));
    });
  }

  /** Colours each connector by the state of the cell it starts from. */
  setStates(stateOf: (id: string) => NodeState): void {
    this.connectors.forEach((connector, index) => {
      const state = stateOf(connector.from);
      const group = this.groups[index];
      if (group.dataset.state !== state) group.dataset.state = state;
    });
  }

  /** Marks the connectors into and out of the selected cell. */
  setSelection(selected: string | undefined): void {
    this.connectors.forEach((connector, index) => {
      const group = this.groups[index];
      const relation = connector.to === selected ? "input" : connector.from === selected ? "dependent" : undefined;
      if (relation) group.dataset.related = relation;
      else delete group.dataset.related;
    });
  }
}

/**
 * Returns the curve from one node to another: right edge to left edge when the reader lies to
 * the right, otherwise bottom edge to top edge (or top to bottom when the reader is above), so a
 * connector between stacked nodes does not loop around them.
 */
function connectorPath(from: CellLayout, to: CellLayout): { d: string; sx: number; sy: number; tx: number; ty: number } {
  if (to.x >= from.x + from.width) {
    const sx = from.x + from.width;
    const sy = from.y + Math.min(from.height / 2, 60);
    const tx = to.x;
    const ty = to.y + Math.min(to.height / 2, 60);
    const bend = Math.max(60, (tx - sx) / 2);
    return { d: `M${sx},${sy} C${sx + bend},${sy} ${tx - bend},${ty} ${tx},${ty}`, sx, sy, tx, ty };
  }
  const down = to.y >= from.y;
  const sx = from.x + from.width / 2;
  const sy = down ? from.y + from.height : from.y;
  const tx = to.x + to.width / 2;
  const ty = down ? to.y : to.y + to.height;
  const bend = (down ? 1 : -1) * Math.max(40, Math.abs(ty - sy) / 2);
  return { d: `M${sx},${sy} C${sx},${sy + bend} ${tx},${ty - bend} ${tx},${ty}`, sx, sy, tx, ty };
}
