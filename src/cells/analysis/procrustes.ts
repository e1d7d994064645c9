import { InputError } from "../errors.ts";

/** Orthogonal 2 × 2 matrix, row-major, applied to row vectors as p·R. */
export type Orthogonal2 = [number, number, number, number];

export interface ProcrustesResult {
  /** The moving layout after centring and multiplying by `rotation`, then moved onto the reference centroid. */
  aligned: Float32Array;
  /** The rotation, or rotation combined with a reflection, that minimises the squared distance. */
  rotation: Orthogonal2;
  /** True when `rotation` has determinant −1. */
  reflected: boolean;
}

/**
 * Aligns an n × 2 layout to a reference n × 2 layout by orthogonal Procrustes analysis
 * (Schönemann 1966). Both are centred, and the orthogonal R minimising ‖A·R − B‖² is
 * the one maximising trace(Rᵀ·AᵀB). Scale is left unchanged, so distances within the
 * moving layout are preserved exactly.
 * In two dimensions the maximum has a closed form: a rotation by angle φ gives
 * trace = (m00 + m11)·cos φ + (m10 − m01)·sin φ, and a reflection gives
 * (m00 − m11)·cos φ + (m01 + m10)·sin φ, where M = AᵀB. The larger amplitude wins.
 * Set `allowReflection` to false to accept rotations only.
 */
export function alignProcrustes(
  moving: Float32Array,
  reference: Float32Array,
  options: { allowReflection?: boolean } = {},
): ProcrustesResult {
  if (moving.length !== reference.length || moving.length % 2 !== 0) {
    throw new InputError(
      `invalid Procrustes layouts: lengths ${moving.length} and ${reference.length} (expected equal lengths of 2 × n)`,
      { field: "layout", value: String(moving.length) },
    );
  }
  const n = moving.length / 2;
  const [ax, ay] = centroid(moving);
  const [bx, by] = centroid(reference);

  let m00 = 0;
  let m01 = 0;
  let m10 = 0;
  let m11 = 0;
  for (let i = 0; i < n; i++) {
    const px = moving[2 * i]! - ax;
    const py = moving[2 * i + 1]! - ay;
    const qx = reference[2 * i]! - bx;
    const qy = reference[2 * i + 1]! - by;
    m00 += px * qx;
    m01 += px * qy;
    m10 += py * qx;
    m11 += py * qy;
  }

  const rotationAngle = Math.atan2(m10 - m01, m00 + m11);
  const rotationScore = Math.hypot(m00 + m11, m10 - m01);
  const reflectionAngle = Math.atan2(m01 + m10, m00 - m11);
  const reflectionScore = Math.hypot(m00 - m11, m01 + m10);
  const reflected = (options.allowReflection ?? true) && reflectionScore > rotationScore;

  let rotation: Orthogonal2;
  if (reflected) {
    const c = Math.cos(reflectionAngle);
    const s = Math.sin(reflectionAngle);
    rotation = [c, s, s, -c];
  } else {
    const c = Math.cos(rotationAngle);
    const s = Math.sin(rotationAngle);
    rotation = [c, -s, s, c];
  }

  const aligned = new Float32Array(moving.length);
  const [r00, r01, r10, r11] = rotation;
  for (let i = 0; i < n; i++) {
    const px = moving[2 * i]! - ax;
    const py = moving[2 * i + 1]! - ay;
    aligned[2 * i] = px * r00 + py * r10 + bx;
    aligned[2 * i + 1] = px * r01 + py * r11 + by;
  }
  return { aligned, rotation, reflected };
}

function centroid(layout: Float32Array): [number, number] {
  const n = layout.length / 2;
  if (n === 0) return [0, 0];
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += layout[2 * i]!;
    y += layout[2 * i + 1]!;
  }
  return [x / n, y / n];
}
