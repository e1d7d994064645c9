import type createREGL from "regl";
import { maxPaletteSize, styleBytes } from "./data.ts";
import { circleFragmentShader, fragmentShader, vertexShader } from "./shaders.ts";

/** GPU buffers of one point set; the scatterplot owns and destroys them. */
export interface PointBuffers {
  /** x, y float32 per point. */
  positions: createREGL.Buffer;
  /** styleBytes per point, see data.ts. */
  styles: createREGL.Buffer;
  /** One byte per point: 1 when selected. */
  states: createREGL.Buffer;
  count: number;
}

export interface PointProps {
  buffers: PointBuffers;
  /** Start positions of a transition; only for the transition command. */
  from?: createREGL.Buffer;
  progress?: number;
  centreHigh: [number, number];
  centreLow: [number, number];
  clipScale: [number, number];
  sizeScale: number;
  ringWidth: number;
  opacity: number;
  unselectedOpacity: number;
  pass: number;
}

export interface LineProps {
  buffer: createREGL.Buffer;
  count: number;
  primitive: "lines" | "line strip" | "line loop";
  colour: [number, number, number, number];
  centreHigh: [number, number];
  centreLow: [number, number];
  clipScale: [number, number];
}

/** Ring of misclassified points, linear RGB 0 to 1. */
const ringColour: [number, number, number] = [0.13, 0.13, 0.13];
/** Ring of selected points: a saturated blue that none of the class colours is close to. */
const selectedRingColour: [number, number, number] = [0.0, 0.35, 1.0];

/**
 * Compiles the point draw command; with `transition`, positions move from `from` to
 * `buffers.positions`; with `circlesOnly`, the fragment shader draws plain circles only.
 */
export function createPointCommand(
  regl: createREGL.Regl,
  palette: readonly [number, number, number][],
  transition: boolean,
  circlesOnly: boolean,
): (props: PointProps) => void {
  const paletteUniforms: Record<string, [number, number, number]> = {};
  for (let i = 0; i < maxPaletteSize; i++) paletteUniforms[`palette[${i}]`] = palette[i] ?? [0, 0, 0];
  const attributes: Record<string, unknown> = {
    position: (_: unknown, props: PointProps) => ({ buffer: props.buffers.positions, size: 2 }),
    style: (_: unknown, props: PointProps) => ({ buffer: props.buffers.styles, size: styleBytes }),
    state: (_: unknown, props: PointProps) => ({ buffer: props.buffers.states, size: 1 }),
  };
  const uniforms: Record<string, unknown> = {
    ...paletteUniforms,
    centreHigh: regl.prop<PointProps, "centreHigh">("centreHigh"),
    centreLow: regl.prop<PointProps, "centreLow">("centreLow"),
    clipScale: regl.prop<PointProps, "clipScale">("clipScale"),
    sizeScale: regl.prop<PointProps, "sizeScale">("sizeScale"),
    ringWidth: regl.prop<PointProps, "ringWidth">("ringWidth"),
    opacity: regl.prop<PointProps, "opacity">("opacity"),
    unselectedOpacity: regl.prop<PointProps, "unselectedOpacity">("unselectedOpacity"),
    pass: regl.prop<PointProps, "pass">("pass"),
    maxSpriteSize: regl.limits.pointSizeDims[1],
    ringColour,
    selectedRingColour,
  };
  if (transition) {
    attributes.positionFrom = (_: unknown, props: PointProps) => ({ buffer: props.from, size: 2 });
    uniforms.progress = regl.prop<PointProps, "progress">("progress");
  }
  return regl({
    vert: vertexShader(transition),
    frag: circlesOnly ? circleFragmentShader : fragmentShader,
    attributes,
    uniforms,
    count: (_: unknown, props: PointProps) => props.buffers.count,
    primitive: "points",
    blend: { enable: true, func: { src: "one", dst: "one minus src alpha" } },
    depth: { enable: false },
  } as unknown as createREGL.DrawConfig) as unknown as (props: PointProps) => void;
}

/** Compiles the command that draws lasso outlines and trails as 1-pixel lines. */
export function createLineCommand(regl: createREGL.Regl): (props: LineProps) => void {
  return regl({
    vert: /* glsl */ `
precision highp float;
attribute vec2 position;
uniform vec2 centreHigh;
uniform vec2 centreLow;
uniform vec2 clipScale;
void main() {
  gl_Position = vec4(((position - centreHigh) - centreLow) * clipScale, 0.0, 1.0);
}`,
    frag: /* glsl */ `
precision mediump float;
uniform vec4 colour;
void main() {
  gl_FragColor = vec4(colour.rgb * colour.a, colour.a);
}`,
    attributes: { position: (_: unknown, props: LineProps) => ({ buffer: props.buffer, size: 2 }) },
    uniforms: {
      colour: regl.prop<LineProps, "colour">("colour"),
      centreHigh: regl.prop<LineProps, "centreHigh">("centreHigh"),
      centreLow: regl.prop<LineProps, "centreLow">("centreLow"),
      clipScale: regl.prop<LineProps, "clipScale">("clipScale"),
    },
    count: regl.prop<LineProps, "count">("count"),
    primitive: regl.prop<LineProps, "primitive">("primitive"),
    blend: { enable: true, func: { src: "one", dst: "one minus src alpha" } },
    depth: { enable: false },
  } as createREGL.DrawConfig) as unknown as (props: LineProps) => void;
}

export interface ImageProps {
  texture: createREGL.Texture2D;
  /** Four corners in clip space, as a triangle strip. */
  corners: createREGL.Buffer;
}

/** Compiles the command that draws a premultiplied RGBA texture, top row first, over the whole canvas. */
export function createImageCommand(regl: createREGL.Regl): (props: ImageProps) => void {
  return regl({
    vert: /* glsl */ `
precision highp float;
attribute vec2 corner;
varying vec2 uv;
void main() {
  // The texture's first row is the image's top, so v runs downwards.
  uv = vec2(corner.x * 0.5 + 0.5, 0.5 - corner.y * 0.5);
  gl_Position = vec4(corner, 0.0, 1.0);
}`,
    frag: /* glsl */ `
precision mediump float;
uniform sampler2D image;
varying vec2 uv;
void main() {
  gl_FragColor = texture2D(image, uv);
}`,
    attributes: { corner: (_: unknown, props: ImageProps) => ({ buffer: props.corners, size: 2 }) },
    uniforms: { image: regl.prop<ImageProps, "texture">("texture") },
    count: 4,
    primitive: "triangle strip",
    blend: { enable: true, func: { src: "one", dst: "one minus src alpha" } },
    depth: { enable: false },
  } as unknown as createREGL.DrawConfig) as unknown as (props: ImageProps) => void;
}
