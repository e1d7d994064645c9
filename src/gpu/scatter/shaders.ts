import { maxPaletteSize } from "./data.ts";

/**
 * GLSL ES 1.00 (WebGL 1) shaders that draw each point as one gl.POINTS sprite and cut
 * its shape out in the fragment shader from gl_PointCoord. Lengths are in device pixels.
 *
 * Positions stay in data units on the GPU. Before it scales, the vertex shader subtracts the
 * view centre, split into a float32 part and the float32 remainder of the float64 centre. So
 * points near the centre keep their own float32 resolution at any zoom, instead of losing it
 * to a large offset. This is the float-float (double-single) splitting of a float64 into two
 * float32 numbers, used for one subtraction only.
 */
export function vertexShader(transition: boolean): string {
  return /* glsl */ `
precision highp float;
${transition ? "#define TRANSITION" : ""}

attribute vec2 position;
#ifdef TRANSITION
attribute vec2 positionFrom;
// 0 draws positionFrom, 1 draws position.
uniform float progress;
#endif
// x: palette index, y: shape code + 4 when ringed, z: size in quarter CSS pixels, w: opacity 0 to 255.
attribute vec4 style;
// 1 when the point is selected.
attribute float state;

uniform vec2 centreHigh;
uniform vec2 centreLow;
// Clip units per data unit.
uniform vec2 clipScale;
uniform vec3 palette[${maxPaletteSize}];
// Device pixels per size unit of style.z.
uniform float sizeScale;
// Uniforms used by both shaders must have the same precision in both, so they are mediump.
uniform mediump float ringWidth;
uniform float maxSpriteSize;
uniform float opacity;
// Opacity factor of unselected points while a selection exists, 1 otherwise.
uniform float unselectedOpacity;
// -1 draws every point; 0 plain, 1 ringed and 2 selected points draw only those.
uniform float pass;
uniform vec3 ringColour;
uniform vec3 selectedRingColour;

varying vec4 fillColour;
varying vec3 edgeColour;
varying float shape;
varying float outlined;
varying float shapeSize;
varying float spriteSize;

void main() {
  float ringed = step(4.0, style.y);
  float selected = step(0.5, state);
  if (pass >= 0.0 && (selected > 0.5 ? 2.0 : ringed) != pass) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
#ifdef TRANSITION
  vec2 relative = mix((positionFrom - centreHigh) - centreLow, (position - centreHigh) - centreLow, progress);
#else
  vec2 relative = (position - centreHigh) - centreLow;
#endif
  gl_Position = vec4(relative * clipScale, 0.0, 1.0);
  shape = style.y - 4.0 * ringed;
  outlined = max(ringed, selected);
  shapeSize = style.z * sizeScale;
  // Half a spare pixel on each side keeps the antialiased edge inside the sprite.
  spriteSize = min(shapeSize + 2.0 * outlined * ringWidth + 1.0, maxSpriteSize);
  gl_PointSize = spriteSize;
  float alpha = style.w / 255.0 * opacity * (selected > 0.5 ? 1.0 : unselectedOpacity);
  fillColour = vec4(palette[int(style.x)] / 255.0, alpha);
  edgeColour = selected > 0.5 ? selectedRingColour : ringColour;
}
`;
}

/**
 * Fragment shader for plain circles only, with no shape branches and no ring: software
 * rasterisers such as SwiftShader run every branch of a SIMD group, so the general shader
 * costs about a third more per frame there (bench/scatter.ts).
 */
export const circleFragmentShader = /* glsl */ `
precision mediump float;

varying vec4 fillColour;
varying float shapeSize;
varying float spriteSize;

void main() {
  float distance = length(gl_PointCoord - 0.5) * spriteSize - shapeSize * 0.5;
  float alpha = clamp(0.5 - distance, 0.0, 1.0) * fillColour.a;
  gl_FragColor = vec4(fillColour.rgb * alpha, alpha);
}
`;

export const fragmentShader = /* glsl */ `
precision mediump float;

uniform mediump float ringWidth;

varying vec4 fillColour;
varying vec3 edgeColour;
varying float shape;
varying float outlined;
varying float shapeSize;
varying float spriteSize;

// Signed distance from p (relative to the sprite centre, y up) to the shape's edge,
// negative inside. radius is the circle radius that sets the size of all shapes.
float shapeDistance(vec2 p, float radius) {
  if (shape < 0.5) {
    return length(p) - radius;
  }
  if (shape < 1.5) {
    // A square of the same area as the circle has half-side radius * sqrt(pi) / 2.
    vec2 q = abs(p);
    return max(q.x, q.y) - radius * 0.886;
  }
  // Equilateral triangle pointing up with circumradius 1.15 * radius, the largest whose
  // width fits the circle's box, moved down by a quarter of it so its bounding box is
  // centred. The edges' outward normals point at -90, 30 and 150 degrees. Outside the
  // corners this underestimates the distance, which only softens the corners.
  float r = radius * 1.15;
  vec2 q = p + vec2(0.0, r * 0.25);
  float edge = max(-q.y, max(dot(q, vec2(0.8660254, 0.5)), dot(q, vec2(-0.8660254, 0.5))));
  return edge - r * 0.5;
}

void main() {
  vec2 p = (vec2(gl_PointCoord.x, 1.0 - gl_PointCoord.y) - 0.5) * spriteSize;
  float distance = shapeDistance(p, shapeSize * 0.5);
  float outer = distance - outlined * ringWidth;
  float coverage = clamp(0.5 - outer, 0.0, 1.0);
  if (coverage <= 0.0) {
    discard;
  }
  float inside = clamp(0.5 - distance, 0.0, 1.0);
  vec3 colour = mix(edgeColour, fillColour.rgb, outlined > 0.5 ? inside : 1.0);
  float alpha = coverage * mix(1.0, fillColour.a, outlined > 0.5 ? inside : 1.0);
  // Premultiplied alpha, to match the blend function ONE, ONE_MINUS_SRC_ALPHA.
  gl_FragColor = vec4(colour * alpha, alpha);
}
`;
