import { panBy, zoomAround, type Camera, type ViewSize } from "./camera.ts";

/** Zoom factor per CSS pixel of wheel travel: 100 px (about one notch) zooms by e^0.2 ≈ 1.22. */
const zoomPerPixel = 0.002;
/** CSS pixels per line for wheel events in line mode (Firefox with a mouse). */
const pixelsPerLine = 16;
/** A press that moves less than this many CSS pixels before release is a click. */
const clickSlop = 3;
/** Lasso vertices are at least this many CSS pixels apart. */
const lassoSpacing = 2;

/** What a primary-button drag does: move the view, or draw a lasso or a rectangle that selects. */
export type DragMode = "pan" | "lasso" | "rectangle";

export interface PointerControl {
  getCamera(): Camera;
  setCamera(camera: Camera): void;
  getSize(): ViewSize;
  /** Called after every camera change; expected to schedule a redraw. */
  changed(): void;
  dragMode(): DragMode;
  /** Receives the outline being drawn, flat x, y pairs in CSS pixels, or undefined once it ends. */
  outline(polygon: number[] | undefined): void;
  /** Receives a finished lasso or rectangle; `add` is true when Shift was held at release. */
  selectPolygon(polygon: number[], add: boolean): void;
  /** Receives a click at CSS pixel (x, y); `add` is true when Shift was held. */
  click(x: number, y: number, add: boolean): void;
}

/**
 * Wires the wheel to zoom around the cursor, and a primary-button drag to pan or to draw a
 * lasso or rectangle, as `dragMode()` says. A press without movement is a click.
 * Returns a function that removes every listener it added.
 */
export function attachPointer(canvas: HTMLCanvasElement, control: PointerControl): () => void {
  let dragPointer: number | undefined;
  let mode: DragMode = "pan";
  let startX = 0;
  let startY = 0;
  let lastX = 0;
  let lastY = 0;
  let moved = false;
  let polygon: number[] = [];

  const onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const factor = Math.exp(-wheelPixels(event, control.getSize()) * zoomPerPixel);
    const [x, y] = localPosition(canvas, event);
    control.setCamera(zoomAround(control.getCamera(), control.getSize(), x, y, factor));
    control.changed();
  };

  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || dragPointer !== undefined) return;
    dragPointer = event.pointerId;
    mode = control.dragMode();
    [startX, startY] = localPosition(canvas, event);
    lastX = event.clientX;
    lastY = event.clientY;
    moved = false;
    polygon = [startX, startY];
    canvas.setPointerCapture(event.pointerId);
  };

  const onPointerMove = (event: PointerEvent) => {
    if (event.pointerId !== dragPointer) return;
    const [x, y] = localPosition(canvas, event);
    if (!moved && Math.hypot(x - startX, y - startY) < clickSlop && mode !== "pan") return;
    moved ||= Math.hypot(x - startX, y - startY) >= clickSlop;
    if (mode === "pan") {
      const dx = event.clientX - lastX;
      const dy = event.clientY - lastY;
      lastX = event.clientX;
      lastY = event.clientY;
      if (dx === 0 && dy === 0) return;
      control.setCamera(panBy(control.getCamera(), dx, dy));
      control.changed();
      return;
    }
    if (mode === "rectangle") {
      polygon = [startX, startY, x, startY, x, y, startX, y];
    } else {
      const n = polygon.length;
      if (Math.hypot(x - polygon[n - 2]!, y - polygon[n - 1]!) < lassoSpacing) return;
      polygon.push(x, y);
    }
    control.outline(polygon);
  };

  const onPointerEnd = (event: PointerEvent) => {
    if (event.pointerId !== dragPointer) return;
    dragPointer = undefined;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    if (event.type === "pointercancel") {
      control.outline(undefined);
      return;
    }
    if (!moved) {
      control.click(startX, startY, event.shiftKey);
      return;
    }
    if (mode === "pan") return;
    control.outline(undefined);
    if (polygon.length >= 6) control.selectPolygon(polygon, event.shiftKey);
  };

  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerup", onPointerEnd);
  canvas.addEventListener("pointercancel", onPointerEnd);
  return () => {
    canvas.removeEventListener("wheel", onWheel);
    canvas.removeEventListener("pointerdown", onPointerDown);
    canvas.removeEventListener("pointermove", onPointerMove);
    canvas.removeEventListener("pointerup", onPointerEnd);
    canvas.removeEventListener("pointercancel", onPointerEnd);
  };
}

/** Returns the vertical wheel travel in CSS pixels, whatever unit the event reports it in. */
function wheelPixels(event: WheelEvent, size: ViewSize): number {
  if (event.deltaMode === WheelEvent.DOM_DELTA_LINE) return event.deltaY * pixelsPerLine;
  if (event.deltaMode === WheelEvent.DOM_DELTA_PAGE) return event.deltaY * size.height;
  return event.deltaY;
}

/** Returns the event position in CSS pixels from the top-left corner of the canvas's content box. */
export function localPosition(canvas: HTMLCanvasElement, event: { clientX: number; clientY: number }): [number, number] {
  const rect = canvas.getBoundingClientRect();
  return [event.clientX - rect.left - canvas.clientLeft, event.clientY - rect.top - canvas.clientTop];
}
