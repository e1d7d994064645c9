import type { CellLayout } from "../../runtime/index.ts";
import { levels, type Connector, type GraphCell } from "./graph.ts";

/** Size of a node placed automatically, in pixels at zoom 1. */
export const DEFAULT_NODE = { width: 420, height: 300 } as const;
const COLUMN_GAP = 120;
const ROW_GAP = 48;

/**
 * Places cells in columns by level of the dependency graph: cells that read no other cell on
 * the left, each reader to the right of everything it reads. Within a column, cells keep
 * notebook order from the top. `top` shifts the whole layout down, below nodes placed by hand.
 */
export function autoLayout(cells: readonly GraphCell[], connectors: readonly Connector[], top = 0): Map<string, CellLayout> {
  const level = levels(cells, connectors);
  const columnHeights = new Map<number, number>();
  const layout = new Map<string, CellLayout>();
  for (const cell of cells) {
    const column = level.get(cell.id) ?? 0;
    const y = columnHeights.get(column) ?? top;
    layout.set(cell.id, { x: column * (DEFAULT_NODE.width + COLUMN_GAP), y, width: DEFAULT_NODE.width, height: DEFAULT_NODE.height });
    columnHeights.set(column, y + DEFAULT_NODE.height + ROW_GAP);
  }
  return layout;
}
