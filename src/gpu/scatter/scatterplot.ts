import createREGL from "regl";
import { cssToData, dataToCss, fitBounds, viewUniforms, type Bounds, type Camera, type ViewSize } from "./camera.ts";
import type { Scatterplot, ScatterplotOptions } from "./api.ts";
import { createImageCommand, createLineCommand, createPointCommand, type PointBuffers, type PointProps } from "./commands.ts";
import { countBuffers, countInstances } from "./counters.ts";
import type { DensityImage } from "./density.ts";
import { DensityLayer } from "./densityLayer.ts";
import { checkPalette, packPoints, sizeSteps, type Rgb, type ScatterData } from "./data.ts";
import { attachPointer, localPosition, type DragMode } from "./interaction.ts";
import { pointsInPolygon } from "./lasso.ts";
import { automaticOpacity, pointsInView } from "./opacity.ts";
import { PointGrid } from "./pick.ts";
import { createSelection, type Selection } from "./selection.ts";

export type { Bounds } from "./camera.ts";
export type { ArrowColumnNames, NumberColumn, Rgb, ScatterData } from "./data.ts";
export { scatterDataFromTable } from "./data.ts";
export type { DragMode } from "./interaction.ts";
export type { RenderMode, Scatterplot, ScatterplotOptions } from "./api.ts";
export { liveScatterResources, type ScatterResources } from "./counters.ts";

/** Width of the ring around outlined and selected points, drawn outside the shape, in CSS pixels. */
const ringWidth = 1.5;
/** Extra reach of pick() beyond the shape's radius, in CSS pixels. */
const pickSlack = 2;
/** Opacity factor of unselected points while a selection exists. */
const unselectedOpacity = 0.25;
const outlineColour: [number, number, number, number] = [0.1, 0.1, 0.1, 0.9];
/**
 * Average overlap of the sprites in view above which "auto" mode draws density. Chosen by
 * eye, so that density takes over only where single points cannot be distinguished anyway.
 */
const densityOverlap = 8;

/**
 * Creates a WebGL scatterplot on `canvas`, where the wheel zooms around the cursor, a drag pans
 * or selects (see dragMode), and a click selects the point under it.
 * The context keeps its drawing buffer (preserveDrawingBuffer), so pixels can be read back
 * after draw(). Sets `touch-action: none` on the canvas so that touch drags pan.
 * Errors start with `gpu:`.
 */
export function createScatterplot(canvas: HTMLCanvasElement, options: ScatterplotOptions): Scatterplot {
  checkPalette(options.palette);
  const palette = options.palette.map((colour) => [...colour] as Rgb);
  const pointSize = options.pointSize ?? 7;
  if (!Number.isFinite(pointSize) || pointSize <= 0 || pointSize > 255 / sizeSteps) {
    throw new Error(`gpu: invalid pointSize: ${pointSize} (expected CSS pixels above 0 and at most ${255 / sizeSteps}, such as 7)`);
  }
  const opacityOption = options.opacity ?? "auto";
  if (opacityOption !== "auto" && !(typeof opacityOption === "number" && opacityOption >= 0 && opacityOption <= 1)) {
    throw new Error(`gpu: invalid opacity: ${String(opacityOption)} (expected a number from 0 to 1, or "auto")`);
  }
  const mode = options.mode ?? "auto";
  if (mode !== "points" && mode !== "density" && mode !== "auto") {
    throw new Error(`gpu: invalid mode: ${String(mode)} (expected "points", "density" or "auto")`);
  }
  const background = [...(options.background ?? [255, 255, 255]), 255].map((c) => c / 255) as [number, number, number, number];

  let regl: createREGL.Regl;
  try {
    regl = createREGL({
      canvas,
      attributes: { preserveDrawingBuffer: true, antialias: false, premultipliedAlpha: true, depth: false },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`gpu: failed to create a WebGL context for the scatterplot: ${reason} (expected a browser with WebGL 1, for example with hardware acceleration turned on)`, { cause: error });
  }
  countInstances(1);

  const drawPoints = createPointCommand(regl, palette, false, false);
  const drawMovingPoints = createPointCommand(regl, palette, true, false);
  const drawCircles = createPointCommand(regl, palette, false, true);
  const drawMovingCircles = createPointCommand(regl, palette, true, true);
  const drawLines = createLineCommand(regl);
  const drawImage = createImageCommand(regl);

  let buffers: PointBuffers | undefined;
  let grid: PointGrid | undefined;
  let ringedCount = 0;
  let allCircles = false;
  /** CPU copy of the style buffer, which density mode reads colours and opacities from. */
  let styles: Uint8Array | undefined;
  const density = new DensityLayer(regl);
  let lastMode: "points" | "density" = "points";
  let selection: Selection | undefined;
  let transition: { from: createREGL.Buffer; start: number; durationMs: number; done: () => void } | undefined;
  let outline: { buffer: createREGL.Buffer; count: number } | undefined;
  let trails: { buffer: createREGL.Buffer; count: number; colour: [number, number, number, number] } | undefined;
  let camera: Camera | undefined;
  let dragMode: DragMode = "pan";
  let destroyed = false;
  let frame: number | undefined;

  const size = (): ViewSize => {
    const ratio = window.devicePixelRatio || 1;
    return { width: canvas.width / ratio, height: canvas.height / ratio };
  };

  const dataBounds = (): Bounds => grid?.bounds ?? { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const currentCamera = (): Camera => camera ?? fitBounds(dataBounds(), size(), pointSize);

  const scheduleDraw = () => {
    if (frame !== undefined) return;
    frame = requestAnimationFrame(() => {
      frame = undefined;
      if (!destroyed) draw();
    });
  };

  const assertAlive = () => {
    if (destroyed) throw new Error("gpu: scatterplot: used after destroy (create a new scatterplot on a new canvas)");
  };

  /** Creates a buffer that this plot owns and counts it; `release` destroys it. */
  const ownBuffer = (data: Float32Array | Uint8Array, usage: "static" | "dynamic"): createREGL.Buffer => {
    const buffer = regl.buffer({ data, usage, type: data instanceof Float32Array ? "float" : "uint8" });
    countBuffers(1);
    return buffer;
  };
  const release = (buffer: createREGL.Buffer | undefined) => {
    if (!buffer) return;
    buffer.destroy();
    countBuffers(-1);
  };

  const finishTransition = () => {
    if (!transition) return;
    const { done } = transition;
    release(transition.from);
    transition = undefined;
    done();
  };

  const releasePoints = () => {
    finishTransition();
    if (!buffers) return;
    release(buffers.positions);
    release(buffers.styles);
    release(buffers.states);
    buffers = undefined;
  };

  const selectionChanged = () => {
    if (!buffers || !selection) return;
    buffers.states.subdata(selection.mask);
    scheduleDraw();
    options.onSelect?.(selection.indices());
  };

  const selectInCanvasPolygon = (polygon: readonly number[], add: boolean): Uint32Array => {
    if (!grid || !selection) return new Uint32Array(0);
    const view = size();
    const cam = currentCamera();
    const dataPolygon = new Float64Array(polygon.length);
    for (let k = 0; k + 1 < polygon.length; k += 2) {
      const [x, y] = cssToData(cam, view, polygon[k]!, polygon[k + 1]!);
      dataPolygon[k] = x;
      dataPolygon[k + 1] = y;
    }
    selection.set(pointsInPolygon(grid, dataPolygon), add);
    selectionChanged();
    return selection.indices();
  };

  const pickCanvas = (cssX: number, cssY: number): number => {
    if (!grid) return -1;
    const view = size();
    if (cssX < 0 || cssY < 0 || cssX > view.width || cssY > view.height) return -1;
    const cam = currentCamera();
    const [x, y] = cssToData(cam, view, cssX, cssY);
    return grid.nearest(x, y, (pointSize / 2 + pickSlack) / cam.scale);
  };

  const setOutline = (polygon: number[] | undefined) => {
    release(outline?.buffer);
    outline = undefined;
    if (polygon) {
      const view = size();
      const points = new Float32Array(polygon.length);
      for (let k = 0; k + 1 < polygon.length; k += 2) {
        // Clip coordinates, drawn with an identity view.
        points[k] = (2 * polygon[k]!) / view.width - 1;
        points[k + 1] = 1 - (2 * polygon[k + 1]!) / view.height;
      }
      outline = { buffer: ownBuffer(points, "dynamic"), count: polygon.length / 2 };
    }
    scheduleDraw();
  };

  const detachPointer = attachPointer(canvas, {
    getCamera: () => currentCamera(),
    setCamera: (next) => {
      camera = next;
    },
    getSize: size,
    changed: scheduleDraw,
    dragMode: () => dragMode,
    outline: setOutline,
    selectPolygon: (polygon, add) => void selectInCanvasPolygon(polygon, add),
    click: (x, y, add) => {
      if (!selection) return;
      const index = pickCanvas(x, y);
      if (index < 0) {
        if (!add && selection.count > 0) {
          selection.clear();
          selectionChanged();
        }
        return;
      }
      if (add) selection.toggle(index);
      else selection.set(Uint32Array.of(index), false);
      selectionChanged();
    },
  });
  canvas.style.touchAction = "none";
  // NOTE: nothing here handles a lost context (a GPU reset). Whether regl restores the
  // buffers afterwards is untested, so the plot may stay blank until it is recreated.

  const resizeDrawingBuffer = () => {
    const ratio = window.devicePixelRatio || 1;
    if (canvas.clientWidth === 0 || canvas.clientHeight === 0) return;
    const width = Math.round(canvas.clientWidth * ratio);
    const height = Math.round(canvas.clientHeight * ratio);
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
  };

  function draw(): void {
    assertAlive();
    resizeDrawingBuffer();
    regl.poll();
    regl.clear({ color: background });
    const ratio = window.devicePixelRatio || 1;
    const view = size();
    const cam = currentCamera();
    const uniforms = viewUniforms(cam, view);
    if (trails) drawLines({ buffer: trails.buffer, count: trails.count, primitive: "lines", colour: trails.colour, ...uniforms });
    if (buffers && grid) {
      const visible = pointsInView(grid, cam, view);
      const opacity = opacityOption === "auto" ? automaticOpacity(visible, pointSize, view) : opacityOption;
      const overlap = (visible * pointSize * pointSize) / Math.max(view.width * view.height, 1);
      const useDensity = !transition && (mode === "density" || (mode === "auto" && overlap > densityOverlap));
      lastMode = useDensity ? "density" : "points";
      const selected = selection?.count ?? 0;
      let progress = 1;
      if (transition) {
        progress = Math.min((performance.now() - transition.start) / transition.durationMs, 1);
        // Smoothstep easing: starts and ends at rest.
        progress = progress * progress * (3 - 2 * progress);
      }
      const props: PointProps = {
        buffers,
        from: transition?.from,
        progress,
        ...uniforms,
        sizeScale: ratio / sizeSteps,
        ringWidth: ringWidth * ratio,
        opacity,
        unselectedOpacity: selected > 0 ? unselectedOpacity : 1,
        pass: -1,
      };
      const command = transition ? drawMovingPoints : drawPoints;
      let plainCommand = command;
      if (allCircles) plainCommand = transition ? drawMovingCircles : drawCircles;
      if (useDensity) {
        const pointGrid = grid;
        const pointStyles = styles!;
        const renderDensity = (image: DensityImage) => image.render(pointGrid, pointStyles, palette, cam, view, ratio, pointSize, opacity);
        drawImage(density.update(canvas.width, canvas.height, renderDensity));
        if (ringedCount > 0) command({ ...props, pass: 1 });
        if (selected > 0) command({ ...props, pass: 2 });
      } else if (ringedCount === 0 && selected === 0) {
        plainCommand(props);
      } else {
        // Ringed points draw over plain ones, and selected points over all.
        plainCommand({ ...props, pass: 0 });
        if (ringedCount > 0) command({ ...props, pass: 1 });
        if (selected > 0) command({ ...props, pass: 2 });
      }
      if (transition) {
        if (progress >= 1) finishTransition();
        else scheduleDraw();
      }
    }
    if (outline) drawLines({ buffer: outline.buffer, count: outline.count, primitive: "line loop", colour: outlineColour, centreHigh: [0, 0], centreLow: [0, 0], clipScale: [1, 1] });
  }

  return {
    get destroyed() {
      return destroyed;
    },

    setData(data: ScatterData) {
      assertAlive();
      const packed = packPoints(data, palette.length, pointSize);
      const nextGrid = new PointGrid(packed.positions);
      releasePoints();
      buffers = {
        positions: ownBuffer(packed.positions, "static"),
        styles: ownBuffer(packed.styles, "static"),
        states: ownBuffer(new Uint8Array(packed.count), "dynamic"),
        count: packed.count,
      };
      grid = nextGrid;
      ringedCount = packed.ringed;
      allCircles = packed.circles === packed.count;
      styles = packed.styles;
      const hadSelection = (selection?.count ?? 0) > 0;
      selection = createSelection(packed.count);
      if (hadSelection) options.onSelect?.(selection.indices());
      camera ??= fitBounds(grid.bounds, size(), pointSize);
    },

    transitionTo(data: ScatterData, durationMs: number): Promise<void> {
      assertAlive();
      if (!buffers || !grid) throw new Error("gpu: scatterplot: transitionTo before setData (call setData with the starting points first)");
      if (!(durationMs >= 0)) throw new Error(`gpu: invalid transition duration: ${durationMs} (expected milliseconds, 0 or more)`);
      const packed = packPoints(data, palette.length, pointSize);
      if (packed.count !== buffers.count) {
        throw new Error(`gpu: invalid transition point count: ${packed.count} (expected ${buffers.count}, the points on the plot)`);
      }
      finishTransition();
      const from = buffers.positions;
      buffers.positions = ownBuffer(packed.positions, "static");
      buffers.styles.subdata(packed.styles);
      ringedCount = packed.ringed;
      allCircles = packed.circles === packed.count;
      styles = packed.styles;
      grid = new PointGrid(packed.positions);
      if (durationMs === 0) {
        release(from);
        scheduleDraw();
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        transition = { from, start: performance.now(), durationMs, done: resolve };
        scheduleDraw();
      });
    },

    draw,

    pick(clientX: number, clientY: number): number {
      assertAlive();
      const [cssX, cssY] = localPosition(canvas, { clientX, clientY });
      return pickCanvas(cssX, cssY);
    },

    selectPolygon(clientPolygon: readonly number[], add = false): Uint32Array {
      assertAlive();
      const rect = canvas.getBoundingClientRect();
      const local = clientPolygon.map((value, k) => value - (k % 2 === 0 ? rect.left + canvas.clientLeft : rect.top + canvas.clientTop));
      return selectInCanvasPolygon(local, add);
    },

    select(indices: ArrayLike<number>, add = false) {
      assertAlive();
      if (!selection) {
        if (indices.length > 0) throw new Error("gpu: scatterplot: select before setData (call setData first)");
        return;
      }
      selection.set(indices, add);
      selectionChanged();
    },

    get selection() {
      return selection?.indices() ?? new Uint32Array(0);
    },

    get dragMode() {
      return dragMode;
    },
    set dragMode(mode: DragMode) {
      if (mode !== "pan" && mode !== "lasso" && mode !== "rectangle") {
        throw new Error(`gpu: invalid dragMode: ${String(mode)} (expected "pan", "lasso" or "rectangle")`);
      }
      dragMode = mode;
    },

    setTrails(polylines: readonly Float32Array[], colour: Rgb = [40, 40, 40]) {
      assertAlive();
      release(trails?.buffer);
      trails = undefined;
      let segments = 0;
      for (const line of polylines) segments += Math.max(line.length / 2 - 1, 0);
      if (segments > 0) {
        const points = new Float32Array(segments * 4);
        let o = 0;
        for (const line of polylines) {
          for (let k = 0; k + 3 < line.length; k += 2) {
            points.set(line.subarray(k, k + 4), o);
            o += 4;
          }
        }
        trails = { buffer: ownBuffer(points, "dynamic"), count: segments * 2, colour: [colour[0] / 255, colour[1] / 255, colour[2] / 255, 0.8] };
      }
      scheduleDraw();
    },

    fitView(bounds?: Bounds) {
      assertAlive();
      resizeDrawingBuffer();
      if (bounds) {
        checkBounds(bounds);
        camera = fitBounds(bounds, size(), 0);
      } else {
        camera = fitBounds(dataBounds(), size(), pointSize);
      }
    },

    toCanvas(x: number, y: number): [number, number] {
      assertAlive();
      return dataToCss(currentCamera(), size(), x, y);
    },

    get camera() {
      return { ...currentCamera() };
    },
    set camera(next: Camera) {
      assertAlive();
      if (![next.centreX, next.centreY, next.scale].every(Number.isFinite) || next.scale <= 0) {
        throw new Error(`gpu: invalid camera: centre (${next.centreX}, ${next.centreY}), scale ${next.scale} (expected finite numbers and a scale above 0)`);
      }
      camera = { ...next };
      scheduleDraw();
    },

    get gpuBytes() {
      if (!buffers) return 0;
      return buffers.count * (8 + 4 + 1) + (transition ? buffers.count * 8 : 0);
    },

    get lastMode() {
      return lastMode;
    },

    get reglBufferCount() {
      return (regl.stats as { bufferCount: number }).bufferCount;
    },

    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (frame !== undefined) cancelAnimationFrame(frame);
      detachPointer();
      releasePoints();
      density.release();
      release(outline?.buffer);
      release(trails?.buffer);
      outline = undefined;
      trails = undefined;
      const gl = regl._gl;
      regl.destroy();
      // Browsers cap the number of live WebGL contexts per page, and a notebook that re-runs
      // a cell would otherwise hold the old context until garbage collection.
      gl.getExtension("WEBGL_lose_context")?.loseContext();
      countInstances(-1);
    },
  };
}

function checkBounds(bounds: Bounds): void {
  const values = [bounds.xMin, bounds.xMax, bounds.yMin, bounds.yMax];
  if (!values.every(Number.isFinite) || bounds.xMax < bounds.xMin || bounds.yMax < bounds.yMin) {
    throw new Error(
      `gpu: invalid bounds: x ${bounds.xMin} to ${bounds.xMax}, y ${bounds.yMin} to ${bounds.yMax} (expected finite numbers with xMin ≤ xMax and yMin ≤ yMax)`,
    );
  }
}
