/** A view of the data plane. Data y grows upwards and screen y downwards. */
export interface Camera {
  /** Data coordinates shown at the centre of the canvas. */
  centreX: number;
  centreY: number;
  /** CSS pixels per data unit, the same on both axes. */
  scale: number;
}

/** Axis-aligned rectangle in data coordinates. */
export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Canvas size in CSS pixels. */
export interface ViewSize {
  width: number;
  height: number;
}

/**
 * Range of the zoom in CSS pixels per data unit. The shader subtracts the view centre in two
 * float32 parts (see viewUniforms), so deep zoom is limited by the float32 positions
 * themselves, not by the camera: near 1 the float32 step is 1.2e-7 data units.
 */
const minScale = 1e-9;
const maxScale = 1e12;

/**
 * Returns the camera that shows `bounds` as large as possible, centred, with `padding` CSS
 * pixels left free on every side. An empty span (a single point) counts as one data unit.
 */
export function fitBounds(bounds: Bounds, size: ViewSize, padding: number): Camera {
  const spanX = Math.max(bounds.xMax - bounds.xMin, 0) || 1;
  const spanY = Math.max(bounds.yMax - bounds.yMin, 0) || 1;
  const usableWidth = Math.max(size.width - 2 * padding, 1);
  const usableHeight = Math.max(size.height - 2 * padding, 1);
  return {
    centreX: (bounds.xMin + bounds.xMax) / 2,
    centreY: (bounds.yMin + bounds.yMax) / 2,
    scale: clampScale(Math.min(usableWidth / spanX, usableHeight / spanY)),
  };
}

/** Converts CSS pixels from the canvas's top-left corner to data coordinates. */
export function cssToData(camera: Camera, size: ViewSize, cssX: number, cssY: number): [number, number] {
  return [camera.centreX + (cssX - size.width / 2) / camera.scale, camera.centreY - (cssY - size.height / 2) / camera.scale];
}

/** Converts data coordinates to CSS pixels from the canvas's top-left corner. */
export function dataToCss(camera: Camera, size: ViewSize, x: number, y: number): [number, number] {
  return [size.width / 2 + (x - camera.centreX) * camera.scale, size.height / 2 - (y - camera.centreY) * camera.scale];
}

/** Returns the camera zoomed by `factor` (> 1 zooms in) so that the data under (cssX, cssY) stays there. */
export function zoomAround(camera: Camera, size: ViewSize, cssX: number, cssY: number, factor: number): Camera {
  const [anchorX, anchorY] = cssToData(camera, size, cssX, cssY);
  const scale = clampScale(camera.scale * factor);
  return {
    scale,
    centreX: anchorX - (cssX - size.width / 2) / scale,
    centreY: anchorY + (cssY - size.height / 2) / scale,
  };
}

/** Returns the camera moved so that the data follows a pointer drag of (dx, dy) CSS pixels. */
export function panBy(camera: Camera, dx: number, dy: number): Camera {
  return { scale: camera.scale, centreX: camera.centreX - dx / camera.scale, centreY: camera.centreY + dy / camera.scale };
}

/** Vertex shader uniforms for clip = ((data − centreHigh) − centreLow) · clipScale. */
export interface ViewUniforms {
  /** The centre rounded to float32. */
  centreHigh: [number, number];
  /** What the rounding left out, itself rounded to float32. */
  centreLow: [number, number];
  /** Clip units per data unit. */
  clipScale: [number, number];
}

/**
 * Splits the float64 camera centre into two float32 parts, so that the shader's float32
 * subtraction of the high part is exact for points near the centre, and the low part
 * restores the bits that rounding the centre lost.
 */
export function viewUniforms(camera: Camera, size: ViewSize): ViewUniforms {
  const highX = Math.fround(camera.centreX);
  const highY = Math.fround(camera.centreY);
  return {
    centreHigh: [highX, highY],
    centreLow: [Math.fround(camera.centreX - highX), Math.fround(camera.centreY - highY)],
    clipScale: [(2 * camera.scale) / size.width, (2 * camera.scale) / size.height],
  };
}

function clampScale(scale: number): number {
  return Math.min(Math.max(scale, minScale), maxScale);
}
