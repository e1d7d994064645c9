/** A labelled image set in MNIST's format, shared by the source and the target domain. */
export interface Domain {
  /** Display name, e.g. "MNIST train" or "UCI digits". */
  name: string;
  /**
   * `count` images of `shape` (28 × 28 × 1 when absent), row-major with channels last,
   * 0..255. Models see them scaled to 0..1.
   */
  images: Uint8Array;
  /** Class index per image, an index into `classNames`. */
  labels: Uint8Array;
  count: number;
  /** Class names by class index, "0".."9" for digits. */
  classNames: string[];
  /** Height, width and channels of each image; absent means [28, 28, 1], the digit domains' shape. */
  shape?: readonly [number, number, number];
  /** How the images were prepared for the model, one phrase per step, when a loader changed them. */
  preparation?: string[];
}

/** Height and width of every domain image, in pixels. */
export const IMAGE_SIZE = 28;

/** Pixels per domain image (28 × 28). */
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Class names of the digit domains, by class index. */
export const DIGIT_CLASS_NAMES: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Height, width and channels of the domain's images. */
export function imageShapeOf(domain: Pick<Domain, "shape">): readonly [number, number, number] {
  return domain.shape ?? [IMAGE_SIZE, IMAGE_SIZE, 1];
}

/** Values per image of the domain: height × width × channels. */
export function imageLengthOf(domain: Pick<Domain, "shape">): number {
  const [height, width, channels] = imageShapeOf(domain);
  return height * width * channels;
}
