import createREGL from "regl";
import { clipTransform, cssToData, dataToCss, fitBounds, type Bounds, type Camera, type ViewSize } from "./camera.ts";
import { countBuffers, countInstances } from "./counters.ts";
import { checkPalette, packPoints, type Rgb, type ScatterData } from "./data.ts";
import { attachPanZoom, localPosition } from "./interaction.ts";
import { PointGrid } from "./pick.ts";
import { fragmentShader, vertexShader } from "./shaders.ts";

export type { Bounds } from "./camera.ts";
export type { Rgb, ScatterData } from "./data.ts";
export { liveScatterResources, type ScatterResources } from "./counters.ts";

export interface ScatterplotOptions {
  /** Colours that ScatterData.colour indexes into, sRGB bytes. */
  palette: Rgb[];
  /** Side of each shape's box in CSS pixels, without the ring. Default 7. */
  pointSize?: number;
  /** Clear colour, sRGB bytes. Default white. */
  background?: Rgb;
}

export interface Scatterplot {
  /** Replaces all points, uploading new GPU buffers. The first call also fits the view to the data. */
  setData(data: ScatterData): void;
  /** Draws now, resizing the drawing buffer to the canvas's CSS size times devicePixelRatio. */
  draw(): void;
  /** Returns the index of the point under (clientX, clientY), or −1 when none is within reach. */
  pick(clientX: number, clientY: number): number;
  /**
   * Moves the camera so that `bounds` (data coordinates) fill the canvas, or, without
   * bounds, so that all points fit with a margin of one point size. Does not draw.
   */
  fitView(bounds?: Bounds): void;
  /** Returns the CSS pixel position of a data point relative to the canvas's top-left corner. */
  toCanvas(x: number, y: number): [number, number];
  /**
   * Destroys the buffers, the regl instance and the WebGL context, and removes listeners.
   * Safe to call twice. The canvas cannot host a new WebGL context afterwards.
   */
  destroy(): void;
  readonly destroyed: boolean;
}

/** Width of the ring around outlined points, drawn outside the shape, in CSS pixels. */
const ringWidth = 1.5;
/** Extra reach of pick() beyond the shape's radius, in CSS pixels. */
const pickSlack = 2;
const ringColour: [number, number, number] = [0.13, 0.13, 0.13];

interface PointBuffers {
  x: createREGL.Buffer;
  y: createREGL.Buffer;
  colours: createREGL.Buffer;
  styles: createREGL.Buffer;
  order: createREGL.Elements;
  grid: PointGrid;
}

interface DrawProps {
  buffers: PointBuffers;
  clipScale: [number, number];
  clipOffset: [number, number];
  shapeSize: number;
  ringWidth: number;
}

/**
 * Creates a WebGL scatterplot on `canvas`, where the wheel zooms around the cursor and a drag pans.
 * The context keeps its drawing buffer (preserveDrawingBuffer), so pixels can be read back
 * after draw(). Sets `touch-action: none` on the canvas so that touch drags pan.
 * Errors start with `gpu:`.
 */
export function createScatterplot(canvas: HTMLCanvasElement, options: ScatterplotOptions): Scatterplot {
  checkPalette(options.palette);
  const palette = options.palette.map((colour) => [...colour] as Rgb);
  const pointSize = options.pointSize ?? 7;
  if (!Number.isFinite(pointSize) || pointSize <= 0) {
    throw new Error(`gpu: invalid pointSize: ${pointSize} (expected CSS pixels above 0, such as 7)`);
  }
  const background = [...(options.background ?? [255, 255, 255]), 255].map((c) => c / 255) as [number, number, number, number];

  let regl: createREGL.Regl;
  try {
    regl = createREGL({
      canvas,
      attributes: { preserveDrawingBuffer: true, antialias: false, premultipliedAlpha: true, depth: false },
      optionalExtensions: ["OES_element_index_uint"],
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`gpu: failed to create a WebGL context for the scatterplot: ${reason} (expected a browser with WebGL 1, for example with hardware acceleration turned on)`, { cause: error });
  }
  countInstances(1);
  const allowUint32 = regl.hasExtension("OES_element_index_uint");

  const drawPoints = regl({
    vert: vertexShader,
    frag: fragmentShader,
    attributes: {
      positionX: (_: unknown, props: DrawProps) => props.buffers.x,
      positionY: (_: unknown, props: DrawProps) => props.buffers.y,
      colour: (_: unknown, props: DrawProps) => ({ buffer: props.buffers.colours, normalized: true, size: 3 }),
      style: (_: unknown, props: DrawProps) => ({ buffer: props.buffers.styles, size: 2 }),
    },
    uniforms: {
      clipScale: regl.prop<DrawProps, "clipScale">("clipScale"),
      clipOffset: regl.prop<DrawProps, "clipOffset">("clipOffset"),
      shapeSize: regl.prop<DrawProps, "shapeSize">("shapeSize"),
      ringWidth: regl.prop<DrawProps, "ringWidth">("ringWidth"),
      maxSpriteSize: regl.limits.pointSizeDims[1],
      ringColour,
    },
    elements: (_: unknown, props: DrawProps) => props.buffers.order,
    primitive: "points",
    blend: { enable: true, func: { src: "one", dst: "one minus src alpha" } },
    depth: { enable: false },
  } as createREGL.DrawConfig) as unknown as (props: DrawProps) => void;

  let buffers: PointBuffers | undefined;
  let camera: Camera | undefined;
  let destroyed = false;
  let frame: number | undefined;

  const size = (): ViewSize => {
    const ratio = window.devicePixelRatio || 1;
    return { width: canvas.width / ratio, height: canvas.height / ratio };
  };

  const dataBounds = (): Bounds => buffers?.grid.bounds ?? { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const currentCamera = (): Camera => camera ?? fitBounds(dataBounds(), size(), pointSize);

  const scheduleDraw = () => {
    if (frame !== undefined) return;
    frame = requestAnimationFrame(() => {
      frame = undefined;
      if (!destroyed) draw();
    });
  };

  const detachPanZoom = attachPanZoom(canvas, {
    getCamera: () => currentCamera(),
    setCamera: (next) => {
      camera = next;
    },
    getSize: size,
    changed: scheduleDraw,
  });
  canvas.style.touchAction = "none";
  // NOTE: nothing here handles a lost context (a GPU reset). Whether regl restores the
  // buffers afterwards is untested, so the plot may stay blank until it is recreated.

  const assertAlive = () => {
    if (destroyed) throw new Error("gpu: scatterplot: used after destroy (create a new scatterplot on a new canvas)");
  };

  const releaseBuffers = () => {
    if (!buffers) return;
    buffers.x.destroy();
    buffers.y.destroy();
    buffers.colours.destroy();
    buffers.styles.destroy();
    buffers.order.destroy();
    countBuffers(-5);
    buffers = undefined;
  };

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
    if (!buffers) return;
    const ratio = window.devicePixelRatio || 1;
    const transform = clipTransform(currentCamera(), size());
    drawPoints({
      buffers,
      clipScale: transform.scale,
      clipOffset: transform.offset,
      shapeSize: pointSize * ratio,
      ringWidth: ringWidth * ratio,
    });
  }

  return {
    get destroyed() {
      return destroyed;
    },

    setData(data: ScatterData) {
      assertAlive();
      const packed = packPoints(data, palette, allowUint32);
      const grid = new PointGrid(Float32Array.from(data.x), Float32Array.from(data.y));
      releaseBuffers();
      buffers = {
        x: regl.buffer({ data: data.x, usage: "static", type: "float" }),
        y: regl.buffer({ data: data.y, usage: "static", type: "float" }),
        colours: regl.buffer({ data: packed.colours, usage: "static", type: "uint8" }),
        styles: regl.buffer({ data: packed.styles, usage: "static", type: "uint8" }),
        order: regl.elements({ data: packed.order, primitive: "points", usage: "static", type: packed.order instanceof Uint32Array ? "uint32" : "uint16" }),
        grid,
      };
      countBuffers(5);
      camera ??= fitBounds(grid.bounds, size(), pointSize);
    },

    draw,

    pick(clientX: number, clientY: number): number {
      assertAlive();
      if (!buffers || !camera) return -1;
      const [cssX, cssY] = localPosition(canvas, { clientX, clientY });
      const view = size();
      if (cssX < 0 || cssY < 0 || cssX > view.width || cssY > view.height) return -1;
      const [x, y] = cssToData(camera, view, cssX, cssY);
      return buffers.grid.nearest(x, y, (pointSize / 2 + pickSlack) / camera.scale);
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

    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (frame !== undefined) cancelAnimationFrame(frame);
      detachPanZoom();
      releaseBuffers();
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
