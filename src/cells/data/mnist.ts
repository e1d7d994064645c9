import { InputError } from "../errors.ts";
import { parseIdx } from "./idx.ts";
import { DIGIT_CLASS_NAMES, IMAGE_SIZE, type Domain } from "./types.ts";

export interface MnistFiles {
  /** Contents of an images file such as `train-images-idx3-ubyte`, optionally gzip-compressed. */
  images: ArrayBuffer | Uint8Array;
  /** Contents of the matching labels file such as `train-labels-idx1-ubyte`. */
  labels: ArrayBuffer | Uint8Array;
  /** Names or URLs of the two files, for error messages. */
  imagesFile: string;
  labelsFile: string;
  /** Domain name, e.g. "MNIST train". */
  name: string;
}

/** Parses a pair of MNIST IDX files into a domain, checking shapes, counts and labels. */
export async function parseMnist(files: MnistFiles): Promise<Domain> {
  const images = await parseIdx(files.images, files.imagesFile, { dtype: "uint8", rank: 3, description: "images" });
  const labels = await parseIdx(files.labels, files.labelsFile, { dtype: "uint8", rank: 1, description: "labels" });

  const [count, height, width] = images.shape as [number, number, number];
  if (height !== IMAGE_SIZE || width !== IMAGE_SIZE) {
    throw new InputError(
      `invalid image size in ${files.imagesFile}: ${height}×${width} (expected ${IMAGE_SIZE}×${IMAGE_SIZE}). Use the MNIST images files.`,
      { file: files.imagesFile, field: "image size", value: `${height}×${width}` },
    );
  }

  const labelCount = labels.shape[0]!;
  if (labelCount !== count) {
    throw new InputError(
      `invalid label count in ${files.labelsFile}: ${labelCount} (expected ${count} to match ${files.imagesFile}). Pair train images with train labels and t10k images with t10k labels.`,
      { file: files.labelsFile, field: "label count", value: String(labelCount) },
    );
  }

  const labelValues = labels.data as Uint8Array;
  const classCount = DIGIT_CLASS_NAMES.length;
  for (let i = 0; i < labelValues.length; i++) {
    const label = labelValues[i]!;
    if (label >= classCount) {
      throw new InputError(
        `invalid label at index ${i} in ${files.labelsFile}: ${label} (expected 0..${classCount - 1}). The file is damaged; download or reinstall it.`,
        { file: files.labelsFile, field: `label ${i}`, value: String(label) },
      );
    }
  }

  return {
    name: files.name,
    images: images.data as Uint8Array,
    labels: labelValues,
    count,
    classNames: [...DIGIT_CLASS_NAMES],
  };
}
