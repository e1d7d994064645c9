import { InputError } from "../errors.ts";
import type { Domain } from "./types.ts";

export interface ArrayDomainInput {
  name: string;
  /**
   * count × height × width × channels values, channels last. Uint8Array values are pixels in
   * 0..255; float arrays must hold values in 0..1 and are scaled to 0..255.
   */
  images: Uint8Array | Uint8ClampedArray | Float32Array | Float64Array;
  /** [height, width, channels] of one image. */
  shape: readonly [number, number, number];
  /** Class index per image, an index into classNames. */
  labels: ArrayLike<number>;
  classNames: readonly string[];
  /** Name of the file the arrays came from, for messages. */
  file?: string;
}

/**
 * Builds a domain from typed arrays, checking that the lengths agree, that there are at least
 * two classes, and that every label is a class index.
 */
export function domainFromArrays(input: ArrayDomainInput): Domain {
  const { name, images, shape, labels, classNames } = input;
  const file = input.file ?? name;
  if (shape.length !== 3 || shape.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new InputError(`invalid shape for ${name}: [${shape.join(", ")}] (expected [height, width, channels] of whole numbers)`, { file, field: "shape", value: `[${shape.join(", ")}]` });
  }
  const length = shape[0] * shape[1] * shape[2];
  const count = labels.length;
  if (images.length !== count * length) {
    throw new InputError(
      `invalid images length in ${name}: ${images.length} values (expected ${count} labels × ${shape.join(" × ")} = ${count * length}). Check the shape and that images and labels belong together.`,
      { file, field: "images", value: String(images.length) },
    );
  }
  if (classNames.length < 2) {
    throw new InputError(`invalid classNames in ${name}: [${classNames.join(", ")}] (expected at least 2 classes; fine-tuning a classifier needs two or more).`, {
      file,
      field: "classNames",
      value: `[${classNames.join(", ")}]`,
    });
  }
  const labelBytes = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classNames.length) {
      throw new InputError(
        `invalid label in ${name}: ${label} at image ${i} (expected 0..${classNames.length - 1}, an index into classNames [${classNames.join(", ")}]). Drop that image or add its class.`,
        { file, field: `labels[${i}]`, value: String(label) },
      );
    }
    labelBytes[i] = label;
  }
  const domain: Domain = { name, images: toPixels(images, file), labels: labelBytes, count, classNames: [...classNames], shape: [shape[0], shape[1], shape[2]] };
  if (!(images instanceof Uint8Array || images instanceof Uint8ClampedArray)) domain.preparation = ["values in 0..1 stored as 0..255"];
  return domain;
}

function toPixels(images: ArrayDomainInput["images"], file: string): Uint8Array {
  if (images instanceof Uint8Array) return images;
  if (images instanceof Uint8ClampedArray) return new Uint8Array(images.buffer, images.byteOffset, images.length);
  const pixels = new Uint8Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const value = images[i]!;
    if (!(value >= 0 && value <= 1)) {
      throw new InputError(`invalid pixel value in ${file}: ${value} at index ${i} (expected floats in 0..1, or a Uint8Array of 0..255). Scale the images first.`, {
        file,
        field: `images[${i}]`,
        value: String(value),
      });
    }
    pixels[i] = Math.round(value * 255);
  }
  return pixels;
}
