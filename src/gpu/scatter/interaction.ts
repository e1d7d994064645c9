import { panBy, zoomAround, type Camera, type ViewSize } from "./camera.ts";

/** Zoom factor per CSS pixel of wheel travel: 100 px (about one notch) zooms by e^0.2 ≈ 1.22. */
const zoomPerPixel = 0.002;
/** CSS pixels per line for wheel events in line mode (Firefox with a mouse). */
const pixelsPerLine = 16;

export interface CameraControl {
  getCamera(): Camera;
  setCamera(camera: Camera): void;
  getSize(): ViewSize;
  /** Called after every camera change; expected to schedule a redraw. */
  changed(): void;
}

/**
 * Wires the wheel to zoom around the cursor and a primary-button drag to pan.
 * Returns a function that removes every listener it added.
 */
export function attachPanZoom(canvas: HTMLCanvasElement, control: CameraControl): () => void {
  let dragPointer: number | undefined;
  let lastX = 0;
  let lastY = 0;

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
    lastX = event.clientX;
    lastY = event.clientY;
    canvas.setPointerCapture(event.pointerId);
  };

  const onPointerMove = (event: PointerEvent) => {
    if (event.pointerId !== dragPointer) return;
    const dx = event.clientX - lastX;
    const dy = event.clientY - lastY;
    lastX = event.clientX;
    lastY = event.clientY;
    if (dx === 0 && dy === 0) return;
    control.setCamera(panBy(control.getCamera(), dx, dy));
    control.changed();
  };

  const onPointerEnd = (event: PointerEvent) => {
    if (event.pointerId !== dragPointer) return;
    dragPointer = undefined;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
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
