import type { Bounds, Camera } from "./camera.ts";
import type { Rgb, ScatterData } from "./data.ts";
import type { DragMode } from "./interaction.ts";

export interface ScatterplotOptions {
  /** Colours that ScatterData.colour indexes into, sRGB bytes, at most 64. */
  palette: Rgb[];
  /** Side of each shape's box in CSS pixels, without the ring, where ScatterData.size is absent. Default 7. */
  pointSize?: number;
  /** Clear colour, sRGB bytes. Default white. */
  background?: Rgb;
  /**
   * Opacity of every point from 0 to 1, or "auto" (the default), which lowers it as the points
   * in view overlap more, so that dense regions stay readable.
   */
  opacity?: number | "auto";
  /**
   * Drawing mode. "points" draws a sprite per point. "density" draws one image of the points
   * in view, made on the CPU (see density.ts). "auto" (the default) draws density while the
   * points in view overlap more than eight times on average, and sprites otherwise. Ringed
   * and selected points are always drawn as sprites on top.
   */
  mode?: RenderMode;
  /** Called with the selected point indices, ascending, after every change of the selection. */
  onSelect?: (indices: Uint32Array) => void;
}

export type RenderMode = "points" | "density" | "auto";

export interface Scatterplot {
  /** Replaces all points, uploading new GPU buffers and clearing the selection. The first call also fits the view. */
  setData(data: ScatterData): void;
  /**
   * Moves the same points to the positions in `data` over `durationMs`, drawing every animation
   * frame, and resolves when they arrive. Styles change at once; the selection stays. Throws
   * unless `data` has as many points as the plot.
   */
  transitionTo(data: ScatterData, durationMs: number): Promise<void>;
  /** Draws now, resizing the drawing buffer to the canvas's CSS size times devicePixelRatio. */
  draw(): void;
  /** Returns the index of the point under (clientX, clientY), or −1 when none is within reach. */
  pick(clientX: number, clientY: number): number;
  /** Selects the points inside a polygon of flat client (viewport) x, y pairs; returns the new selection. */
  selectPolygon(clientPolygon: readonly number[], add?: boolean): Uint32Array;
  /** Replaces (or, with `add`, extends) the selection by point indices. Out-of-range indices throw. */
  select(indices: ArrayLike<number>, add?: boolean): void;
  /** The selected point indices, ascending. */
  readonly selection: Uint32Array;
  /** Action of a primary-button drag. Default "pan". */
  dragMode: DragMode;
  /** Shows polylines in data coordinates (flat x, y pairs each) with the given sRGB colour, or none. */
  setTrails(trails: readonly Float32Array[], colour?: Rgb): void;
  /**
   * Moves the camera so that `bounds` (data coordinates) fill the canvas, or, without
   * bounds, so that all points fit with a margin of one point size. Does not draw.
   */
  fitView(bounds?: Bounds): void;
  /** Returns the CSS pixel position of a data point relative to the canvas's top-left corner. */
  toCanvas(x: number, y: number): [number, number];
  /** The camera now: centre in data coordinates and CSS pixels per data unit. */
  camera: Camera;
  /** Bytes of GPU buffers this plot holds for its points now, without the canvas-sized density texture. */
  readonly gpuBytes: number;
  /** Mode that the last draw() used for the points. */
  readonly lastMode: "points" | "density";
  /** Buffers that regl reports alive for this plot, to check that every one has an owner. */
  readonly reglBufferCount: number;
  /**
   * Destroys the buffers, the regl instance and the WebGL context, and removes listeners.
   * Safe to call twice. The canvas cannot host a new WebGL context afterwards.
   */
  destroy(): void;
  readonly destroyed: boolean;
}
