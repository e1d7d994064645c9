import { InputError } from "../errors.ts";
import { DIGIT_CLASS_NAMES, IMAGE_PIXELS, IMAGE_SIZE, type Domain } from "./types.ts";

/**
 * Parser and converter for UCI's 8×8 handwritten digits as scikit-learn ships them
 * (`digits.csv.gz`): one row per image, 64 pixel values 0..16 row by row, then the label.
 */

/** Width and height of a UCI image, in pixels. */
export const UCI_IMAGE_SIZE = 8;

/** Largest UCI pixel value: the count of ink pixels in a 4×4 block of the original bitmap. */
export const UCI_MAX_PIXEL = 16;

/** Size of the digit after resizing. MNIST's digits were size-normalised to fit a 20×20 box. */
const SCALED_SIZE = 20;

/** First row and column of the resized digit in the 28×28 image, which centres the 20×20 box. */
const SCALED_OFFSET = (IMAGE_SIZE - SCALED_SIZE) / 2;

const FIELDS_PER_ROW = UCI_IMAGE_SIZE * UCI_IMAGE_SIZE + 1;

interface Sample {
  /** Lower source index. */
  low: number;
  /** Upper source index, equal to `low` at the edge. */
  high: number;
  /** Weight of `high`, in [0, 1). */
  fraction: number;
}

/**
 * Bilinear sample positions, the same for rows and columns. Output index i (0..19) samples
 * the source at s = (i + 0.5) * 8 / 20 - 0.5, which aligns pixel centres of the two grids.
 * s is clamped to [0, 7], so the outer output pixels repeat the edge values.
 */
const SAMPLES: readonly Sample[] = Array.from({ length: SCALED_SIZE }, (_, i) => {
  const position = Math.min(Math.max(((i + 0.5) * UCI_IMAGE_SIZE) / SCALED_SIZE - 0.5, 0), UCI_IMAGE_SIZE - 1);
  const low = Math.floor(position);
  return { low, high: Math.min(low + 1, UCI_IMAGE_SIZE - 1), fraction: position - low };
});

/**
 * Converts one 8×8 UCI image (64 values 0..16, row-major) to MNIST's format and writes its
 * 784 pixels into `target` from `targetOffset`. Each value is scaled to 0..255 (× 255 / 16),
 * the image is resized to 20×20 by bilinear interpolation (see SAMPLES), placed at rows and
 * columns 4..23 of a zero 28×28 image and rounded half up to uint8.
 */
export function convertUciImage(pixels: ArrayLike<number>, target: Uint8Array, targetOffset = 0): void {
  const scale = 255 / UCI_MAX_PIXEL;
  const source = (row: number, column: number) => pixels[row * UCI_IMAGE_SIZE + column]! * scale;

  target.fill(0, targetOffset, targetOffset + IMAGE_PIXELS);
  for (let y = 0; y < SCALED_SIZE; y++) {
    const rows = SAMPLES[y]!;
    for (let x = 0; x < SCALED_SIZE; x++) {
      const columns = SAMPLES[x]!;
      // The form a + (b - a) * t keeps constant regions exact, so 16 becomes exactly 255.
      const top = lerp(source(rows.low, columns.low), source(rows.low, columns.high), columns.fraction);
      const bottom = lerp(source(rows.high, columns.low), source(rows.high, columns.high), columns.fraction);
      const value = lerp(top, bottom, rows.fraction);
      target[targetOffset + (y + SCALED_OFFSET) * IMAGE_SIZE + x + SCALED_OFFSET] = Math.round(value);
    }
  }
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

export interface UciDigitsOptions {
  /** File name or URL for error messages. Default: "digits.csv". */
  file?: string;
  /** Domain name. Default: "UCI digits". */
  name?: string;
}

/**
 * Parses the UCI digits CSV text into a domain of 28×28 images (see {@link convertUciImage}).
 * Blank lines are skipped. Errors name the 1-based line and column of the bad value.
 */
export function parseUciDigits(text: string, options: UciDigitsOptions = {}): Domain {
  const file = options.file ?? "digits.csv";
  const lines = text.split("\n");
  const rows: { pixels: number[]; label: number }[] = [];

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === "") continue;
    rows.push(parseRow(line, index + 1, file));
  }

  if (rows.length === 0) {
    throw new InputError(
      `missing rows in ${file} (expected one row per image of ${FIELDS_PER_ROW} comma-separated integers). Check that the file is the UCI digits CSV.`,
      { file, field: "rows", value: "0" },
    );
  }

  const images = new Uint8Array(rows.length * IMAGE_PIXELS);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    convertUciImage(row.pixels, images, i * IMAGE_PIXELS);
    labels[i] = row.label;
  });

  return {
    name: options.name ?? "UCI digits",
    images,
    labels,
    count: rows.length,
    classNames: [...DIGIT_CLASS_NAMES],
  };
}

function parseRow(line: string, lineNumber: number, file: string): { pixels: number[]; label: number } {
  const fields = line.split(",");
  if (fields.length !== FIELDS_PER_ROW) {
    throw new InputError(
      `invalid field count in ${file}, line ${lineNumber}: ${fields.length} (expected ${FIELDS_PER_ROW}: 64 pixel values, then the label). Fix or remove the line.`,
      { file, field: `line ${lineNumber}`, value: String(fields.length) },
    );
  }

  const pixels = fields.slice(0, -1).map((field, i) => parseInteger(field, UCI_MAX_PIXEL, "pixel value", lineNumber, i + 1, file));
  const label = parseInteger(fields[FIELDS_PER_ROW - 1]!, DIGIT_CLASS_NAMES.length - 1, "label", lineNumber, FIELDS_PER_ROW, file);
  return { pixels, label };
}

function parseInteger(field: string, max: number, thing: string, lineNumber: number, column: number, file: string): number {
  const text = field.trim();
  const value = Number(text);
  if (/^\d+$/.test(text) && value <= max) return value;

  throw new InputError(
    `invalid ${thing} in ${file}, line ${lineNumber}, column ${column}: ${JSON.stringify(field)} (expected an integer 0..${max}). Fix the value or use an unchanged copy of digits.csv.gz.`,
    { file, field: `line ${lineNumber}, column ${column}`, value: field },
  );
}
