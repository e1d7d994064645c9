import type { PointGrid } from "./pick.ts";

/**
 * Returns the indices, ascending, of the points inside `polygon` (flat x, y pairs in data
 * coordinates, implicitly closed), by the even-odd rule.
 *
 * Only the grid cells that an edge passes through have their points tested one by one. Every
 * other cell lies wholly inside or wholly outside, which one test at its centre decides, so a
 * lasso around a million points tests only the few thousand near its outline.
 */
export function pointsInPolygon(grid: PointGrid, polygon: ArrayLike<number>): Uint32Array {
  const vertices = Math.floor(polygon.length / 2);
  if (vertices < 3 || grid.count === 0) return new Uint32Array(0);
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < vertices; k++) {
    xMin = Math.min(xMin, polygon[2 * k]!);
    xMax = Math.max(xMax, polygon[2 * k]!);
    yMin = Math.min(yMin, polygon[2 * k + 1]!);
    yMax = Math.max(yMax, polygon[2 * k + 1]!);
  }
  if (!(xMin <= grid.bounds.xMax && xMax >= grid.bounds.xMin && yMin <= grid.bounds.yMax && yMax >= grid.bounds.yMin)) {
    return new Uint32Array(0);
  }

  const firstColumn = grid.cellColumn(xMin);
  const lastColumn = grid.cellColumn(xMax);
  const firstRow = grid.cellRow(yMin);
  const lastRow = grid.cellRow(yMax);
  const width = lastColumn - firstColumn + 1;
  const height = lastRow - firstRow + 1;
  const boundary = markBoundaryCells(grid, polygon, vertices, firstColumn, firstRow, width, height);

  const inside = new Uint8Array(grid.count);
  let insideCount = 0;
  const crossings: number[] = [];
  const { starts, members, positions } = grid;
  for (let row = firstRow; row <= lastRow; row++) {
    const centreY = grid.bounds.yMin + (row + 0.5) * grid.cellHeight;
    crossings.length = 0;
    for (let k = 0, j = vertices - 1; k < vertices; j = k++) {
      const y1 = polygon[2 * j + 1]!;
      const y2 = polygon[2 * k + 1]!;
      if (y1 <= centreY !== y2 <= centreY) {
        const x1 = polygon[2 * j]!;
        crossings.push(x1 + ((centreY - y1) * (polygon[2 * k]! - x1)) / (y2 - y1));
      }
    }
    crossings.sort((a, b) => a - b);

    let passed = 0;
    for (let column = firstColumn; column <= lastColumn; column++) {
      const cell = row * grid.columns + column;
      const start = starts[cell]!;
      const end = starts[cell + 1]!;
      if (start === end) continue;
      if (boundary[(row - firstRow) * width + (column - firstColumn)]) {
        for (let m = start; m < end; m++) {
          const i = members[m]!;
          if (containsPoint(polygon, vertices, positions[2 * i]!, positions[2 * i + 1]!)) {
            inside[i] = 1;
            insideCount++;
          }
        }
        continue;
      }
      const centreX = grid.bounds.xMin + (column + 0.5) * grid.cellWidth;
      while (passed < crossings.length && crossings[passed]! < centreX) passed++;
      if (passed % 2 === 1) {
        for (let m = start; m < end; m++) inside[members[m]!] = 1;
        insideCount += end - start;
      }
    }
  }

  const result = new Uint32Array(insideCount);
  for (let i = 0, r = 0; r < insideCount; i++) if (inside[i]) result[r++] = i;
  return result;
}

/**
 * Marks, in a width × height window of cells starting at (firstColumn, firstRow), every cell
 * that an edge may pass through. Each edge is sampled at most half a cell apart and the 3 × 3
 * block around each sample is marked, which covers cells that the edge only clips at a corner
 * and keeps rounding at cell borders from missing one.
 */
function markBoundaryCells(
  grid: PointGrid,
  polygon: ArrayLike<number>,
  vertices: number,
  firstColumn: number,
  firstRow: number,
  width: number,
  height: number,
): Uint8Array {
  const boundary = new Uint8Array(width * height);
  const toU = (x: number) => (x - grid.bounds.xMin) / grid.cellWidth;
  const toV = (y: number) => (y - grid.bounds.yMin) / grid.cellHeight;
  for (let k = 0, j = vertices - 1; k < vertices; j = k++) {
    const u1 = toU(polygon[2 * j]!);
    const v1 = toV(polygon[2 * j + 1]!);
    const u2 = toU(polygon[2 * k]!);
    const v2 = toV(polygon[2 * k + 1]!);
    const steps = Math.ceil(2 * Math.max(Math.abs(u2 - u1), Math.abs(v2 - v1))) + 1;
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const column = Math.floor(u1 + (u2 - u1) * t) - firstColumn;
      const row = Math.floor(v1 + (v2 - v1) * t) - firstRow;
      for (let dr = -1; dr <= 1; dr++) {
        const r = row + dr;
        if (r < 0 || r >= height) continue;
        for (let dc = -1; dc <= 1; dc++) {
          const c = column + dc;
          if (c >= 0 && c < width) boundary[r * width + c] = 1;
        }
      }
    }
  }
  return boundary;
}

/** Even-odd test of (x, y) against the closed polygon of flat x, y pairs. */
export function containsPoint(polygon: ArrayLike<number>, vertices: number, x: number, y: number): boolean {
  let inside = false;
  for (let k = 0, j = vertices - 1; k < vertices; j = k++) {
    const yk = polygon[2 * k + 1]!;
    const yj = polygon[2 * j + 1]!;
    if (yk <= y !== yj <= y) {
      const xk = polygon[2 * k]!;
      const xj = polygon[2 * j]!;
      if (x < xk + ((y - yk) * (xj - xk)) / (yj - yk)) inside = !inside;
    }
  }
  return inside;
}
