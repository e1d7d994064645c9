import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/cells/errors.ts";
import { gunzipIfCompressed } from "../../../src/cells/data/gzip.ts";
import { convertUciImage, parseUciDigits } from "../../../src/cells/data/uciDigits.ts";

/** Converts 64 UCI pixels and returns the 28×28 result. */
function convert(pixels: number[]): Uint8Array {
  const target = new Uint8Array(784).fill(7);
  convertUciImage(pixels, target);
  return target;
}

function pixel(image: Uint8Array, row: number, column: number): number {
  return image[row * 28 + column]!;
}

function constantImage(value: number): number[] {
  return new Array<number>(64).fill(value);
}

/** Returns an 8×8 image of zeros with `value` at (row, column). */
function singlePixel(row: number, column: number, value = 16): number[] {
  const pixels = constantImage(0);
  pixels[row * 8 + column] = value;
  return pixels;
}

function csvRow(pixels: number[], label: number): string {
  return [...pixels, label].join(",");
}

function captureError(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

describe("convertUciImage", () => {
  it("fills the 20×20 box for a full-ink image", () => {
    const image = convert(constantImage(16));
    for (let row = 0; row < 28; row++) {
      for (let column = 0; column < 28; column++) {
        const inside = row >= 4 && row <= 23 && column >= 4 && column <= 23;
        expect(pixel(image, row, column), `pixel (${row}, ${column})`).toBe(inside ? 255 : 0);
      }
    }
  });

  it("rounds a constant half value up", () => {
    // 8 × 255 / 16 = 127.5, rounded half up.
    const image = convert(constantImage(8));
    expect(pixel(image, 4, 4)).toBe(128);
    expect(pixel(image, 23, 23)).toBe(128);
    expect(pixel(image, 13, 17)).toBe(128);
    expect(pixel(image, 3, 4)).toBe(0);
    expect(pixel(image, 24, 23)).toBe(0);
  });

  it("clears the target region", () => {
    expect(convert(constantImage(0)).every((value) => value === 0)).toBe(true);
  });

  it("spreads a single bright pixel bilinearly", () => {
    // Source (3, 4). Output rows 6..10 weight source row 3 by 0.1, 0.5, 0.9, 0.7, 0.3, and
    // output columns 9..13 weight source column 4 by 0.3, 0.7, 0.9, 0.5, 0.1 (s = 0.4 i - 0.3).
    const image = convert(singlePixel(3, 4));
    const rowWeights = [0.1, 0.5, 0.9, 0.7, 0.3];
    const columnWeights = [0.3, 0.7, 0.9, 0.5, 0.1];
    rowWeights.forEach((rowWeight, r) => {
      columnWeights.forEach((columnWeight, c) => {
        const expected = Math.round(255 * rowWeight * columnWeight);
        expect(pixel(image, 4 + 6 + r, 4 + 9 + c), `output (${6 + r}, ${9 + c})`).toBe(expected);
      });
    });

    expect(pixel(image, 12, 15)).toBe(207); // 255 × 0.9 × 0.9 = 206.55
    expect(pixel(image, 13, 14)).toBe(125); // 255 × 0.7 × 0.7 = 124.95
    expect(pixel(image, 10, 17)).toBe(3); // 255 × 0.1 × 0.1 = 2.55
    expect(image.filter((value) => value > 0).length).toBe(25);
  });

  it("clamps samples at the edge", () => {
    // Output index 0 samples s = -0.3, clamped to 0, so the corner keeps the full value.
    const image = convert(singlePixel(0, 0));
    expect(pixel(image, 4, 4)).toBe(255);
    expect(pixel(image, 5, 5)).toBe(207); // 255 × 0.9 × 0.9
    expect(pixel(image, 4, 6)).toBe(128); // 255 × 0.5 = 127.5
    expect(pixel(image, 4, 8)).toBe(0);
  });

  it("writes at an offset", () => {
    const target = new Uint8Array(2 * 784);
    convertUciImage(constantImage(16), target, 784);
    expect(target.subarray(0, 784).every((value) => value === 0)).toBe(true);
    expect(target[784 + 4 * 28 + 4]).toBe(255);
  });
});

describe("parseUciDigits", () => {
  it("parses rows into 28×28 images", () => {
    const text = `${csvRow(constantImage(16), 3)}\n${csvRow(singlePixel(3, 4), 9)}\n`;
    const domain = parseUciDigits(text);
    expect(domain.name).toBe("UCI digits");
    expect(domain.count).toBe(2);
    expect(Array.from(domain.labels)).toEqual([3, 9]);
    expect(domain.images.length).toBe(2 * 784);
    expect(domain.images[4 * 28 + 4]).toBe(255);
    expect(domain.images[784 + 12 * 28 + 15]).toBe(207);
    expect(domain.classNames).toHaveLength(10);
  });

  it("accepts CRLF line endings and blank lines", () => {
    const text = `${csvRow(constantImage(1), 0)}\r\n\r\n${csvRow(constantImage(2), 1)}\r\n`;
    expect(parseUciDigits(text).count).toBe(2);
  });

  it("reads the shipped digits.csv.gz", async () => {
    const file = "public/data/uci-digits/digits.csv.gz";
    const bytes = await gunzipIfCompressed(new Uint8Array(await readFile(file)), file);
    const domain = parseUciDigits(new TextDecoder().decode(bytes), { file });
    expect(domain.count).toBe(1797);
    expect(Array.from(domain.labels.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const perClass = new Array<number>(10).fill(0);
    domain.labels.forEach((label) => perClass[label]!++);
    expect(perClass).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  });

  it("names line and column of a bad pixel", () => {
    const pixels = constantImage(0);
    pixels[4] = 17;
    const text = `${csvRow(constantImage(0), 0)}\n\n${csvRow(pixels, 1)}\n`;
    const error = captureError(() => parseUciDigits(text, { file: "digits.csv.gz" }));
    expect(error.message).toContain('invalid pixel value in digits.csv.gz, line 3, column 5: "17" (expected an integer 0..16)');
    expect(error.file).toBe("digits.csv.gz");
    expect(error.field).toBe("line 3, column 5");
    expect(error.value).toBe("17");
  });

  it("rejects non-integer pixels", () => {
    const fields = constantImage(0).map(String);
    fields[0] = "2.5";
    const error = captureError(() => parseUciDigits(`${fields.join(",")},1`));
    expect(error.message).toContain('line 1, column 1: "2.5" (expected an integer 0..16)');
  });

  it("rejects a label outside 0..9", () => {
    const error = captureError(() => parseUciDigits(csvRow(constantImage(0), 10)));
    expect(error.message).toContain('invalid label in digits.csv, line 1, column 65: "10" (expected an integer 0..9)');
  });

  it("rejects a row with missing fields", () => {
    const text = `${csvRow(constantImage(0), 0)}\n${constantImage(0).join(",")}\n`;
    const error = captureError(() => parseUciDigits(text));
    expect(error.message).toContain("invalid field count in digits.csv, line 2: 64 (expected 65: 64 pixel values, then the label)");
  });

  it("rejects empty text", () => {
    const error = captureError(() => parseUciDigits("\n\n"));
    expect(error.message).toMatch(/^missing rows in digits\.csv/);
  });
});
