/** A labelled image set in MNIST's format, shared by the source and the target domain. */
export interface Domain {
  /** Display name, e.g. "MNIST train" or "UCI digits". */
  name: string;
  /** `count` × 28 × 28 pixels, row-major, 0 = background, 255 = ink. */
  images: Uint8Array;
  /** Class index per image, an index into `classNames`. */
  labels: Uint8Array;
  count: number;
  /** Class names by class index, "0".."9" for digits. */
  classNames: string[];
}

/** Height and width of every domain image, in pixels. */
export const IMAGE_SIZE = 28;

/** Pixels per domain image (28 × 28). */
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Class names of the digit domains, by class index. */
export const DIGIT_CLASS_NAMES: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
