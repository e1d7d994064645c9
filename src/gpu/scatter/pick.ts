import type { Bounds } from "./camera.ts";

/**
 * Uniform grid over the points' bounding box for nearest-point and polygon queries. Cells
 * hold about two points on average, stored as one index array sorted by cell (compressed
 * rows), so a query visits only the cells that overlap its search area.
 */
export class PointGrid {
  readonly bounds: Bounds;
  /** Interleaved x, y per point, the same array the plot uploads. */
  readonly positions: Float32Array;
  readonly columns: number;
  readonly rows: number;
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** Start of each cell's run in `members`. Cell c contains members[starts[c]] up to, but not including, members[starts[c + 1]]. */
  readonly starts: Uint32Array;
  readonly members: Uint32Array;

  constructor(positions: Float32Array) {
    this.positions = positions;
    const n = positions.length / 2;
    this.bounds = boundsOf(positions);
    const side = Math.min(Math.max(Math.ceil(Math.sqrt(n / 2)), 1), 2048);
    this.columns = side;
    this.rows = side;
    this.cellWidth = (this.bounds.xMax - this.bounds.xMin) / side || 1;
    this.cellHeight = (this.bounds.yMax - this.bounds.yMin) / side || 1;

    const cellOf = new Uint32Array(n);
    const counts = new Uint32Array(side * side + 1);
    for (let i = 0; i < n; i++) {
      const cell = this.cellRow(positions[2 * i + 1]!) * side + this.cellColumn(positions[2 * i]!);
      cellOf[i] = cell;
      counts[cell + 1]!++;
    }
    for (let c = 1; c < counts.length; c++) counts[c]! += counts[c - 1]!;
    this.starts = counts;
    this.members = new Uint32Array(n);
    const fill = counts.slice(0, side * side);
    for (let i = 0; i < n; i++) this.members[fill[cellOf[i]!]!++] = i;
  }

  get count(): number {
    return this.positions.length / 2;
  }

  /** Bytes this index holds besides the positions it shares with the plot. */
  get byteLength(): number {
    return this.starts.byteLength + this.members.byteLength;
  }

  /**
   * Returns the index of the point nearest to (qx, qy) within `radius` (data units), or −1.
   * Of points at equal distance the lowest index wins.
   */
  nearest(qx: number, qy: number, radius: number): number {
    if (this.count === 0 || !(radius >= 0)) return -1;
    if (qx + radius < this.bounds.xMin || qx - radius > this.bounds.xMax) return -1;
    if (qy + radius < this.bounds.yMin || qy - radius > this.bounds.yMax) return -1;
    const firstColumn = this.cellColumn(qx - radius);
    const lastColumn = this.cellColumn(qx + radius);
    const firstRow = this.cellRow(qy - radius);
    const lastRow = this.cellRow(qy + radius);
    const p = this.positions;

    let best = -1;
    let bestDistance = radius * radius;
    for (let row = firstRow; row <= lastRow; row++) {
      for (let column = firstColumn; column <= lastColumn; column++) {
        const cell = row * this.columns + column;
        for (let k = this.starts[cell]!; k < this.starts[cell + 1]!; k++) {
          const i = this.members[k]!;
          const dx = p[2 * i]! - qx;
          const dy = p[2 * i + 1]! - qy;
          const distance = dx * dx + dy * dy;
          if (distance < bestDistance || (distance === bestDistance && (best === -1 || i < best))) {
            best = i;
            bestDistance = distance;
          }
        }
      }
    }
    return best;
  }

  /** Column of the cell containing x, clamped to the grid. */
  cellColumn(x: number): number {
    const column = Math.floor((x - this.bounds.xMin) / this.cellWidth);
    return Math.min(Math.max(column, 0), this.columns - 1);
  }

  /** Row of the cell containing y, clamped to the grid. */
  cellRow(y: number): number {
    const row = Math.floor((y - this.bounds.yMin) / this.cellHeight);
    return Math.min(Math.max(row, 0), this.rows - 1);
  }
}

/** Returns the bounding box of interleaved points, or the unit square around 0 when there are none. */
export function boundsOf(positions: Float32Array): Bounds {
  if (positions.length === 0) return { xMin: -0.5, xMax: 0.5, yMin: -0.5, yMax: 0.5 };
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < positions.length; i += 2) {
    const x = positions[i]!;
    const y = positions[i + 1]!;
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  return { xMin, xMax, yMin, yMax };
}
