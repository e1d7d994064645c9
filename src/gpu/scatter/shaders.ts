/**
 * GLSL ES 1.00 (WebGL 1) shaders that draw each point as one gl.POINTS sprite and cut
 * its shape out in the fragment shader from gl_PointCoord. Lengths are in device pixels.
 */

export const vertexShader = /* glsl */ `
precision highp float;

attribute float positionX;
attribute float positionY;
attribute vec3 colour;
// x: shape code (0 circle, 1 square, 2 triangle), y: 1 when the point gets a ring.
attribute vec2 style;

// clip = data * clipScale + clipOffset
uniform vec2 clipScale;
uniform vec2 clipOffset;
// Side of the shape's box, and width of the ring drawn outside it. Uniforms used by both
// shaders must have the same precision in both, so they are declared mediump explicitly.
uniform mediump float shapeSize;
uniform mediump float ringWidth;
uniform float maxSpriteSize;

varying vec3 fillColour;
varying float shape;
varying float outlined;
varying float spriteSize;

void main() {
  gl_Position = vec4(vec2(positionX, positionY) * clipScale + clipOffset, 0.0, 1.0);
  // One spare pixel on each side keeps the antialiased edge inside the sprite.
  spriteSize = min(shapeSize + 2.0 * style.y * ringWidth + 2.0, maxSpriteSize);
  gl_PointSize = spriteSize;
  fillColour = colour;
  shape = style.x;
  outlined = style.y;
}
`;

export const fragmentShader = /* glsl */ `
precision mediump float;

uniform mediump float shapeSize;
uniform mediump float ringWidth;
uniform vec3 ringColour;

varying vec3 fillColour;
varying float shape;
varying float outlined;
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
  vec3 colour = mix(ringColour, fillColour, outlined > 0.5 ? inside : 1.0);
  // Premultiplied alpha, to match the blend function ONE, ONE_MINUS_SRC_ALPHA.
  gl_FragColor = vec4(colour * coverage, coverage);
}
`;
