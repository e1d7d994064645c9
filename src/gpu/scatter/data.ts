/**
 * A column of numbers, one per point: a typed array, or an Apache Arrow vector (anything with
 * `length` and `toArray()` returning a typed array). A single-chunk Arrow vector is read without
 * a copy; a multi-chunk one is concatenated into one typed array, never into JS objects.
 */
export type NumberColumn = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array | Int32Array | ArrowLikeVector;

export interface ArrowLikeVector {
  readonly length: number;
  toArray(): ArrayLike<number>;
}

/** Points to draw, one entry per point in each column. All columns have the same length. */
export interface ScatterData {
  /** Data coordinates, with y growing upwards. */
  x: NumberColumn;
  y: NumberColumn;
  /** Index into the palette. Default 0 for every point. */
  colour?: NumberColumn;
  /** 0 circle, 1 square, 2 triangle. Default circle. */
  shape?: NumberColumn;
  /** 1 draws a ring around the point, 0 does not. Default 0. */
  outlined?: NumberColumn;
  /** Side of each shape's box in CSS pixels, 0.25 to 63.75 in steps of 0.25. Default: the plot's pointSize. */
  size?: NumberColumn;
  /** Opacity from 0 to 1, multiplied with the plot's opacity. Default 1. */
  opacity?: NumberColumn;
}

/** sRGB colour with channels 0 to 255. */
export type Rgb = [number, number, number];

export const shapeNames = ["circle", "square", "triangle"] as const;

/**
 * Most palette colours the shaders hold. The palette is a vertex-shader uniform array, and
 * WebGL 1 guarantees only 128 vertex uniform vectors, shared with the other uniforms.
 */
export const maxPaletteSize = 64;

/** Bytes per point in the style buffer: colour index, shape and ring bits, size, opacity. */
export const styleBytes = 4;
/** Bit of the style's second byte that marks a ringed point; bits 0 and 1 hold the shape code. */
export const ringBit = 4;
/** Size unit in the style buffer: sizes are stored in quarter CSS pixels. */
export const sizeSteps = 4;

/** Vertex data ready for upload. */
export interface PackedPoints {
  count: number;
  /** count × 2 float32: x then y per point, exact copies of the input rounded to float32. */
  positions: Float32Array;
  /** count × styleBytes bytes, see styleBytes. */
  styles: Uint8Array;
  /** Number of points with a ring. */
  ringed: number;
  /** Number of points whose shape is a circle. */
  circles: number;
}

/** Throws a `gpu: invalid …` error unless `palette` is a non-empty list of sRGB byte triples. */
export function checkPalette(palette: readonly Rgb[]): void {
  if (!Array.isArray(palette) || palette.length === 0 || palette.length > maxPaletteSize) {
    throw new Error(`gpu: invalid palette size: ${Array.isArray(palette) ? palette.length : typeof palette} (expected 1 to ${maxPaletteSize} colours)`);
  }
  palette.forEach((colour, index) => {
    const valid = Array.isArray(colour) && colour.length === 3 && colour.every((c) => Number.isInteger(c) && c >= 0 && c <= 255);
    if (!valid) {
      throw new Error(`gpu: invalid palette colour at index ${index} (expected [r, g, b] with whole numbers 0 to 255)`);
    }
  });
}

/** Returns the column's numbers as an array-like without building JS objects. */
export function columnValues(column: NumberColumn, name: string): ArrayLike<number> {
  if (ArrayBuffer.isView(column)) return column as unknown as ArrayLike<number>;
  if (column && typeof (column as ArrowLikeVector).toArray === "function") return (column as ArrowLikeVector).toArray();
  throw new Error(`gpu: invalid scatter ${name} column: ${describe(column)} (expected a typed array or an Apache Arrow vector)`);
}

/** Validates `data` and packs it into the GPU layout. Errors start with `gpu: invalid`. */
export function packPoints(data: ScatterData, paletteSize: number, pointSize: number): PackedPoints {
  const x = columnValues(data.x, "x");
  const count = x.length;
  const y = checkedColumn(data.y, "y", count)!;
  const colour = checkedColumn(data.colour, "colour", count);
  const shape = checkedColumn(data.shape, "shape", count);
  const outlined = checkedColumn(data.outlined, "outlined", count);
  const size = checkedColumn(data.size, "size", count);
  const opacity = checkedColumn(data.opacity, "opacity", count);

  const positions = new Float32Array(count * 2);
  const styles = new Uint8Array(count * styleBytes);
  const defaultSize = Math.min(Math.max(Math.round(pointSize * sizeSteps), 1), 255);
  let ringed = 0;
  let circles = 0;
  for (let i = 0; i < count; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      throw new Error(`gpu: invalid scatter position at point ${i}: (${px}, ${py}) (expected finite numbers)`);
    }
    positions[2 * i] = px;
    positions[2 * i + 1] = py;

    const c = colour ? colour[i]! : 0;
    if (!(Number.isInteger(c) && c >= 0 && c < paletteSize)) {
      throw new Error(`gpu: invalid colour index at point ${i}: ${c} (expected 0 to ${paletteSize - 1}, an index into the palette)`);
    }
    const s = shape ? shape[i]! : 0;
    if (!(Number.isInteger(s) && s >= 0 && s < shapeNames.length)) {
      throw new Error(`gpu: invalid shape at point ${i}: ${s} (expected 0 circle, 1 square or 2 triangle)`);
    }
    const ring = outlined && outlined[i] ? 1 : 0;
    ringed += ring;
    if (s === 0) circles++;

    let sizeCode = defaultSize;
    if (size) {
      const value = size[i]!;
      if (!(value > 0 && value <= 255 / sizeSteps)) {
        throw new Error(`gpu: invalid size at point ${i}: ${value} (expected CSS pixels above 0 and at most ${255 / sizeSteps})`);
      }
      sizeCode = Math.max(Math.round(value * sizeSteps), 1);
    }
    let opacityCode = 255;
    if (opacity) {
      const value = opacity[i]!;
      if (!(value >= 0 && value <= 1)) {
        throw new Error(`gpu: invalid opacity at point ${i}: ${value} (expected 0 to 1)`);
      }
      opacityCode = Math.round(value * 255);
    }

    const o = i * styleBytes;
    styles[o] = c;
    styles[o + 1] = s | (ring ? ringBit : 0);
    styles[o + 2] = sizeCode;
    styles[o + 3] = opacityCode;
  }
  return { count, positions, styles, ringed, circles };
}

function checkedColumn(column: NumberColumn | undefined, name: string, count: number): ArrayLike<number> | undefined {
  if (column === undefined) return undefined;
  const values = columnValues(column, name);
  if (values.length !== count) {
    throw new Error(`gpu: invalid scatter ${name} length: ${values.length} (expected ${count}, the length of x)`);
  }
  return values;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

/**
 * Column names of an Apache Arrow table (or anything with `getChild(name)`) for scatterData().
 * Only x and y are required.
 */
export interface ArrowColumnNames {
  x: string;
  y: string;
  colour?: string;
  shape?: string;
  outlined?: string;
  size?: string;
  opacity?: string;
}

export interface ArrowLikeTable {
  getChild(name: string): ArrowLikeVector | null;
}

/** Returns ScatterData that reads the named columns of an Arrow table; throws when one is missing. */
export function scatterDataFromTable(table: ArrowLikeTable, names: ArrowColumnNames): ScatterData {
  const data: Partial<Record<keyof ScatterData, NumberColumn>> = {};
  for (const [field, column] of Object.entries(names) as [keyof ScatterData, string | undefined][]) {
    if (column === undefined) continue;
    const child = table.getChild(column);
    if (!child) throw new Error(`gpu: scatter column not found: ${JSON.stringify(column)} for ${field} (expected a column of the table)`);
    data[field] = child;
  }
  return data as ScatterData;
}
