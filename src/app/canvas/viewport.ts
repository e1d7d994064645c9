/** Pan and zoom of the canvas: a screen point is `world * scale + (x, y)`, in CSS pixels. */
export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 4;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** Zooms by `factor` keeping the world point under the screen point (px, py) in place. */
export function zoomAt(view: Viewport, factor: number, px: number, py: number): Viewport {
  const scale = clampScale(view.scale * factor);
  const k = scale / view.scale;
  return { scale, x: px - (px - view.x) * k, y: py - (py - view.y) * k };
}

/** Returns the viewport that shows `bounds` whole and centred in a screen of the given size, zoomed in at most to `maxScale`. */
export function fitRect(bounds: Rect, screenWidth: number, screenHeight: number, margin = 32, maxScale = 1): Viewport {
  const scale = clampScale(Math.min(maxScale, (screenWidth - 2 * margin) / Math.max(1, bounds.width), (screenHeight - 2 * margin) / Math.max(1, bounds.height)));
  return {
    scale,
    x: screenWidth / 2 - (bounds.x + bounds.width / 2) * scale,
    y: screenHeight / 2 - (bounds.y + bounds.height / 2) * scale,
  };
}

/** Returns the world rectangle that the screen shows, grown by `margin` screen pixels on every side. */
export function visibleWorld(view: Viewport, screenWidth: number, screenHeight: number, margin = 0): Rect {
  return {
    x: (-margin - view.x) / view.scale,
    y: (-margin - view.y) / view.scale,
    width: (screenWidth + 2 * margin) / view.scale,
    height: (screenHeight + 2 * margin) / view.scale,
  };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function union(rects: readonly Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined;
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}
