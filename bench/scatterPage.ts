// Benchmark page for bench/scatter.ts: draws the same seeded points with Carryover's
// scatterplot or with regl-scatterplot on a fresh canvas of the same size, and times frames
// and a lasso in the same way for both. Exposes `window.benchScatter`.
import createReglScatterplot from "regl-scatterplot";
import { createRandom } from "../src/cells/random.ts";
import { createScatterplot } from "../src/gpu/scatter/scatterplot.ts";

export type Library = "ours" | "ours, points only" | "regl-scatterplot";

export interface ScatterBenchRequest {
  points: number;
  /** Frames timed per interaction (zoom, then pan), after two frames of warm-up. */
  frames: number;
  /** Also time a lasso selection. */
  lasso: boolean;
  /** Canvas side in CSS pixels. */
  side: number;
  /** Circle diameter in CSS pixels. */
  pointSize: number;
  seed: number;
}

export interface ScatterBenchResult {
  library: Library;
  points: number;
  /** From handing over the arrays until the first frame is on the canvas, ms. */
  setupMs: number;
  /** Median ms per frame, from the frame's start until its pixels can be read back. */
  zoomFrameMs: number;
  panFrameMs: number;
  /** From the pointer release that ends the lasso until the library reports the selection, ms. */
  lassoMs?: number;
  lassoSelected?: number;
  /** GPU memory for the points, bytes per point (see bench/scatter.ts for how each is counted). */
  gpuBytesPerPoint: number;
}

/** 24 Gaussian clusters in [-0.95, 0.95]², the normalised range that regl-scatterplot expects. */
function makePoints(count: number, seed: number): { x: Float32Array; y: Float32Array; category: Uint8Array } {
  const random = createRandom(seed);
  const centres = Array.from({ length: 24 }, () => [random() * 1.4 - 0.7, random() * 1.4 - 0.7, 0.02 + random() * 0.08]);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const category = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % centres.length;
    const [cx, cy, spread] = centres[c]!;
    // Box-Muller transform.
    const radius = Math.sqrt(-2 * Math.log(1 - random())) * spread!;
    const angle = 2 * Math.PI * random();
    x[i] = Math.max(-0.95, Math.min(0.95, cx! + radius * Math.cos(angle)));
    y[i] = Math.max(-0.95, Math.min(0.95, cy! + radius * Math.sin(angle)));
    category[i] = c % 10;
  }
  return { x, y, category };
}

const tableau = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Times one frame. `input` dispatches an event that makes the library schedule a redraw for
 * the next animation frame. Our frame callback is registered after the library's, so it runs
 * after the library has drawn in the same frame. It reads one pixel back, which waits for the
 * GPU, and returns the time since the frame's start timestamp.
 */
function timeFrame(input: () => void, readBack: () => void): Promise<number> {
  input();
  return new Promise<number>((resolve) =>
    requestAnimationFrame((start) => {
      readBack();
      resolve(performance.now() - start);
    }),
  );
}

/** Returns a lasso around the middle: a wavy 40-gon of radius 0.25 to 0.35 canvas sides, in CSS pixels. */
function lassoPolygon(side: number): [number, number][] {
  return Array.from({ length: 40 }, (_, k) => {
    const angle = (2 * Math.PI * k) / 40;
    const radius = side * (0.3 + 0.05 * Math.sin(5 * angle));
    return [side / 2 + radius * Math.cos(angle), side / 2 + radius * Math.sin(angle)];
  });
}

function makeCanvas(side: number, left: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  Object.assign(canvas.style, { display: "block", width: `${side}px`, height: `${side}px`, position: "absolute", left: `${left}px`, top: "0px" });
  canvas.width = side * (window.devicePixelRatio || 1);
  canvas.height = side * (window.devicePixelRatio || 1);
  document.body.append(canvas);
  return canvas;
}

function wheel(canvas: HTMLCanvasElement, k: number, left: number, side: number): void {
  // Alternate in and out around the middle, so the view stays on the points.
  const deltaY = k % 2 === 0 ? -120 : 120;
  canvas.dispatchEvent(new WheelEvent("wheel", { deltaY, clientX: left + side / 2, clientY: side / 2, bubbles: true, cancelable: true }));
}

/** One library's plot on its own canvas, driven by the events that library listens to. */
interface Subject {
  library: Library;
  setupMs: number;
  zoom(k: number): void;
  panStart(): void;
  pan(k: number): void;
  panEnd(): void;
  readBack(): void;
  /** Draws a lasso, and returns ms from the pointer release to the selection callback, and the points selected. */
  lasso(polygon: [number, number][]): Promise<{ ms: number; selected: number }>;
  gpuBytesPerPoint: number;
  destroy(): void;
}

/** Our plot in its default mode ("auto"), or drawing sprites only ("points"). */
async function createOurs(request: ScatterBenchRequest, points: ReturnType<typeof makePoints>, mode: "auto" | "points", left: number): Promise<Subject> {
  const canvas = makeCanvas(request.side, left);
  let selectedAt = 0;
  let selected = 0;
  const setupStart = performance.now();
  const plot = createScatterplot(canvas, {
    palette: tableau.map((hex) => [Number.parseInt(hex.slice(1, 3), 16), Number.parseInt(hex.slice(3, 5), 16), Number.parseInt(hex.slice(5, 7), 16)]),
    pointSize: request.pointSize,
    mode,
    onSelect: (indices) => {
      selectedAt = performance.now();
      selected = indices.length;
    },
  });
  plot.setData({ x: points.x, y: points.y, colour: points.category });
  plot.fitView({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
  plot.draw();
  const gl = canvas.getContext("webgl")!;
  const pixel = new Uint8Array(4);
  const readBack = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  readBack();
  const setupMs = performance.now() - setupStart;
  const middle = request.side / 2;
  const pointer = (type: string, px: number, py: number, extra: PointerEventInit = {}) =>
    canvas.dispatchEvent(new PointerEvent(type, { pointerId: 1, isPrimary: true, button: 0, buttons: 1, clientX: left + px, clientY: py, bubbles: true, ...extra }));
  return {
    library: mode === "auto" ? "ours" : "ours, points only",
    setupMs,
    zoom: (k) => wheel(canvas, k, left, request.side),
    panStart: () => pointer("pointerdown", middle, middle),
    pan: (k) => pointer("pointermove", middle + (k % 2 === 0 ? 8 : 0), middle),
    panEnd: () => pointer("pointerup", middle, middle, { buttons: 0 }),
    readBack,
    async lasso(polygon) {
      plot.fitView({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
      plot.dragMode = "lasso";
      pointer("pointerdown", polygon[0]![0], polygon[0]![1]);
      for (const [px, py] of polygon.slice(1)) pointer("pointermove", px, py);
      const released = performance.now();
      pointer("pointerup", polygon[0]![0], polygon[0]![1], { buttons: 0 });
      await nextFrame();
      return { ms: selectedAt - released, selected };
    },
    gpuBytesPerPoint: plot.gpuBytes / request.points,
    destroy() {
      plot.destroy();
      canvas.remove();
    },
  };
}

async function createTheirs(request: ScatterBenchRequest, points: ReturnType<typeof makePoints>, left: number): Promise<Subject> {
  const canvas = makeCanvas(request.side, left);
  let selectedAt = 0;
  let selected = 0;
  const setupStart = performance.now();
  const plot = createReglScatterplot({
    canvas,
    width: request.side,
    height: request.side,
    pointSize: request.pointSize,
    pointScaleMode: "constant",
    pointColor: tableau,
    colorBy: "category",
    syncEvents: true,
  } as never);
  plot.subscribe(
    "select",
    ({ points: chosen }: { points: number[] }) => {
      selectedAt = performance.now();
      selected = chosen.length;
    },
    0,
  );
  await plot.draw({ x: points.x, y: points.y, category: points.category } as never);
  const context = canvas.getContext("2d")!;
  const readBack = () => context.getImageData(0, 0, 1, 1);
  await nextFrame();
  await nextFrame();
  readBack();
  const setupMs = performance.now() - setupStart;
  const middle = request.side / 2;
  const mouse = (target: EventTarget, type: string, px: number, py: number, extra: MouseEventInit = {}) =>
    target.dispatchEvent(new MouseEvent(type, { button: 0, buttons: 1, clientX: left + px, clientY: py, bubbles: true, ...extra }));
  // Points live in an RGBA float32 texture of side ceil(√n), plus two float32 texture
  // coordinates per point in a vertex buffer (regl-scatterplot 1.16, createStateTexture and
  // createPointIndex in src/index.js).
  const textureSide = Math.max(2, Math.ceil(Math.sqrt(request.points)));
  return {
    library: "regl-scatterplot",
    setupMs,
    zoom: (k) => wheel(canvas, k, left, request.side),
    panStart: () => mouse(canvas, "mousedown", middle, middle),
    pan: (k) => mouse(window, "mousemove", middle + (k % 2 === 0 ? 8 : 0), middle),
    panEnd: () => mouse(window, "mouseup", middle, middle, { buttons: 0 }),
    readBack,
    async lasso(polygon) {
      plot.zoomToArea({ x: -1, y: -1, width: 2, height: 2 }, { transition: false } as never);
      await nextFrame();
      await nextFrame();
      mouse(canvas, "mousedown", polygon[0]![0], polygon[0]![1], { shiftKey: true });
      for (const [px, py] of polygon.slice(1)) {
        mouse(window, "mousemove", px, py, { shiftKey: true });
        // The lasso takes a vertex at most every lassoMinDelay (10) ms.
        await pause(12);
      }
      const released = performance.now();
      mouse(window, "mouseup", polygon[0]![0], polygon[0]![1], { shiftKey: true, buttons: 0 });
      await nextFrame();
      return { ms: selectedAt - released, selected };
    },
    gpuBytesPerPoint: (textureSide * textureSide * 16 + request.points * 8) / request.points,
    destroy() {
      plot.destroy();
      canvas.remove();
    },
  };
}

/**
 * Creates the three plots side by side, then times their frames in turn, one frame each, so
 * that load from other processes falls on all alike.
 */
async function bench(request: ScatterBenchRequest): Promise<ScatterBenchResult[]> {
  const points = makePoints(request.points, request.seed);
  const step = request.side + 10;
  const subjects = [await createOurs(request, points, "auto", 0), await createOurs(request, points, "points", step), await createTheirs(request, points, 2 * step)];
  const zoomTimes = subjects.map(() => [] as number[]);
  const panTimes = subjects.map(() => [] as number[]);
  try {
    for (let k = 0; k < request.frames + 2; k++) {
      for (const [s, subject] of subjects.entries()) {
        const elapsed = await timeFrame(() => subject.zoom(k), subject.readBack);
        if (k >= 2) zoomTimes[s]!.push(elapsed);
      }
    }
    for (const subject of subjects) subject.panStart();
    for (let k = 0; k < request.frames + 2; k++) {
      for (const [s, subject] of subjects.entries()) {
        const elapsed = await timeFrame(() => subject.pan(k), subject.readBack);
        if (k >= 2) panTimes[s]!.push(elapsed);
      }
    }
    for (const subject of subjects) subject.panEnd();
    await nextFrame();
    const lassos: ({ ms: number; selected: number } | undefined)[] = [];
    for (const subject of subjects) lassos.push(request.lasso ? await subject.lasso(lassoPolygon(request.side)) : undefined);
    return subjects.map((subject, s) => ({
      library: subject.library,
      points: request.points,
      setupMs: subject.setupMs,
      zoomFrameMs: median(zoomTimes[s]!),
      panFrameMs: median(panTimes[s]!),
      lassoMs: lassos[s]?.ms,
      lassoSelected: lassos[s]?.selected,
      gpuBytesPerPoint: subject.gpuBytesPerPoint,
    }));
  } finally {
    for (const subject of subjects) subject.destroy();
  }
}

declare global {
  interface Window {
    benchScatter?: (request: ScatterBenchRequest) => Promise<ScatterBenchResult[]>;
  }
}
window.benchScatter = bench;
