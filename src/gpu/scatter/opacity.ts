import { cssToData, type Camera, type ViewSize } from "./camera.ts";
import type { PointGrid } from "./pick.ts";

/**
 * Coverage that the automatic opacity aims for where points pile up at the average overlap:
 * with k layers of opacity a, 1 − (1 − a)^k of the background is hidden. Chosen by eye, so
 * that dense clusters stay distinguishable from sparse ones instead of becoming one solid blob.
 */
const targetCoverage = 0.98;
/** The automatic opacity never goes below this, so that lone points stay visible. */
const minOpacity = 0.02;

/**
 * Returns the points in view, counted from the grid's rows: the cells of one row are contiguous
 * in the grid's member list, so each row costs one subtraction. Counts whole cells, so points
 * just outside the view's edge may count.
 */
export function pointsInView(grid: PointGrid, camera: Camera, size: ViewSize): number {
  const [xMin, yMax] = cssToData(camera, size, 0, 0);
  const [xMax, yMin] = cssToData(camera, size, size.width, size.height);
  const b = grid.bounds;
  if (xMax < b.xMin || xMin > b.xMax || yMax < b.yMin || yMin > b.yMax) return 0;
  const firstColumn = grid.cellColumn(xMin);
  const lastColumn = grid.cellColumn(xMax);
  let count = 0;
  for (let row = grid.cellRow(yMin); row <= grid.cellRow(yMax); row++) {
    count += grid.starts[row * grid.columns + lastColumn + 1]! - grid.starts[row * grid.columns + firstColumn]!;
  }
  return count;
}

/**
 * Returns the opacity that keeps overplotted regions readable: 1 while the visible points'
 * sprites cover at most the canvas once on average, and lower as the average overlap k grows,
 * so that k layers hide targetCoverage of the background.
 */
export function automaticOpacity(visible: number, pointSize: number, size: ViewSize): number {
  const area = Math.max(size.width * size.height, 1);
  const overlap = (visible * pointSize * pointSize) / area;
  if (overlap <= 1) return 1;
  return Math.max(1 - (1 - targetCoverage) ** (1 / overlap), minOpacity);
}
