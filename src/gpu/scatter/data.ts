/** Points to draw, one entry per point in each array. All arrays have the same length. */
export interface ScatterData {
  /** Data coordinates, with y growing upwards. */
  x: Float32Array;
  y: Float32Array;
  /** Index into the palette. */
  colour: Uint8Array;
  /** 0 circle, 1 square, 2 triangle. */
  shape: Uint8Array;
  /** 1 draws a ring around the point, 0 does not. */
  outlined: Uint8Array;
}

/** sRGB colour with channels 0 to 255. */
export type Rgb = [number, number, number];

export const shapeNames = ["circle", "square", "triangle"] as const;

/** Vertex data ready for upload, plus the draw order. */
export interface PackedPoints {
  count: number;
  /** count × 3 sRGB bytes. */
  colours: Uint8Array;
  /** count × 2 bytes: shape code, then 1 if outlined. */
  styles: Uint8Array;
  /** Point indices in draw order: plain points first, so rings stay visible on top. */
  order: Uint16Array | Uint32Array;
}

/** Throws a `gpu: invalid …` error unless `palette` is a non-empty list of sRGB byte triples. */
export function checkPalette(palette: readonly Rgb[]): void {
  if (!Array.isArray(palette) || palette.length === 0 || palette.length > 256) {
    throw new Error(`gpu: invalid palette size: ${Array.isArray(palette) ? palette.length : typeof palette} (expected 1 to 256 colours)`);
  }
  palette.forEach((colour, index) => {
    const valid = Array.isArray(colour) && colour.length === 3 && colour.every((c) => Number.isInteger(c) && c >= 0 && c <= 255);
    if (!valid) {
      throw new Error(`gpu: invalid palette colour at index ${index} (expected [r, g, b] with whole numbers 0 to 255)`);
    }
  });
}

/** Validates `data` and expands palette indices to colours. Errors start with `gpu: invalid`. */
export function packPoints(data: ScatterData, palette: readonly Rgb[], allowUint32: boolean): PackedPoints {
  const count = data.x.length;
  for (const field of ["y", "colour", "shape", "outlined"] as const) {
    if (data[field].length !== count) {
      throw new Error(`gpu: invalid scatter ${field} length: ${data[field].length} (expected ${count}, the length of x)`);
    }
  }
  if (count > 65535 && !allowUint32) {
    throw new Error(`gpu: invalid point count: ${count} (expected at most 65535 without the OES_element_index_uint extension)`);
  }

  const colours = new Uint8Array(count * 3);
  const styles = new Uint8Array(count * 2);
  let outlinedCount = 0;
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(data.x[i]!) || !Number.isFinite(data.y[i]!)) {
      throw new Error(`gpu: invalid scatter position at point ${i}: (${data.x[i]}, ${data.y[i]}) (expected finite numbers)`);
    }
    const colour = palette[data.colour[i]!];
    if (!colour) {
      throw new Error(`gpu: invalid colour index at point ${i}: ${data.colour[i]} (expected 0 to ${palette.length - 1}, an index into the palette)`);
    }
    if (data.shape[i]! >= shapeNames.length) {
      throw new Error(`gpu: invalid shape at point ${i}: ${data.shape[i]} (expected 0 circle, 1 square or 2 triangle)`);
    }
    colours.set(colour, i * 3);
    styles[i * 2] = data.shape[i]!;
    styles[i * 2 + 1] = data.outlined[i] ? 1 : 0;
    if (data.outlined[i]) outlinedCount++;
  }

  const order = count > 65535 ? new Uint32Array(count) : new Uint16Array(count);
  let plain = 0;
  let ringed = count - outlinedCount;
  for (let i = 0; i < count; i++) {
    if (data.outlined[i]) order[ringed++] = i;
    else order[plain++] = i;
  }
  return { count, colours, styles, order };
}
