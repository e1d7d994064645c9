/**
 * A cell's place on the canvas view, stored as the fence option `canvas=x,y,width,height`
 * (whole pixels at zoom 1, for example ```` ```js cache canvas=40,40,480,320 ````). Keeping it
 * on the cell's own fence line means that moving one node changes one line of the file.
 */
import type { CellOptions, Notebook, NotebookBlock } from "./notebook.ts";

export interface CellLayout {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Name of the fence option that stores a cell's layout. */
export const LAYOUT_OPTION = "canvas";

/** Smallest node side in pixels, so that a node always keeps a header to grab. */
export const MIN_NODE_SIZE = 80;

/** Raised for a `canvas=` option that is not four whole numbers with a positive size. */
export class CellLayoutError extends Error {}
CellLayoutError.prototype.name = "CellLayoutError";

/** Reads a cell's layout from its options; undefined when it has none. Raises CellLayoutError for an invalid value. */
export function cellLayout(options: CellOptions, cellId: string): CellLayout | undefined {
  const value = options[LAYOUT_OPTION];
  if (value === undefined) return undefined;
  const parts = value === true ? [] : value.split(",");
  const numbers = parts.map((part) => (/^-?\d+$/.test(part.trim()) ? Number(part) : Number.NaN));
  if (numbers.length !== 4 || numbers.some((n) => !Number.isSafeInteger(n)) || numbers[2] < MIN_NODE_SIZE || numbers[3] < MIN_NODE_SIZE) {
    const described = value === true ? "canvas without a value" : JSON.stringify(value);
    throw new CellLayoutError(
      `invalid canvas layout of cell ${cellId}: ${described} (expected four whole numbers x,y,width,height with width and height at least ${MIN_NODE_SIZE}, as in canvas=40,40,480,320, or remove the option for an automatic place)`,
    );
  }
  const [x, y, width, height] = numbers;
  return { x, y, width, height };
}

/** Formats a layout as the option's value, rounding to whole pixels. */
export function formatCellLayout(layout: CellLayout): string {
  return [layout.x, layout.y, Math.max(MIN_NODE_SIZE, layout.width), Math.max(MIN_NODE_SIZE, layout.height)].map((n) => Math.round(n)).join(",");
}

/** Returns the options with the layout set; other options keep their order, and a new `canvas` option goes last. */
export function withLayoutOption(options: CellOptions, layout: CellLayout): CellOptions {
  const next: Record<string, string | true> = Object.create(null);
  Object.assign(next, options);
  next[LAYOUT_OPTION] = formatCellLayout(layout);
  return next;
}

/** Returns the notebook with one cell's layout replaced; every other block is the same object, so it serializes to the same bytes. */
export function withCellLayout<T extends Pick<Notebook, "blocks">>(notebook: T, cellId: string, layout: CellLayout): T {
  let found = false;
  const blocks = notebook.blocks.map((block): NotebookBlock => {
    if (block.kind !== "cell" || block.id !== cellId) return block;
    found = true;
    return { ...block, options: withLayoutOption(block.options, layout) };
  });
  if (!found) throw new Error(`cell not found: ${JSON.stringify(cellId)} (expected the id of a cell in the notebook)`);
  return { ...notebook, blocks };
}
