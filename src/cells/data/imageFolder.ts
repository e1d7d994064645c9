import { InputError } from "../errors.ts";
import type { Domain } from "./types.ts";

/** One file of an image folder, with its path relative to the folder that was picked or dropped. */
export interface FolderFile {
  /** Such as "pets/cat/001.png": the picked folder, the class subfolder, the file name. */
  path: string;
  file: Blob;
}

export interface ImageFolderOptions {
  /** [height, width, channels] of the model's input, e.g. from modelInputShape(model). Channels 1 (grey) or 3 (RGB). */
  shape: readonly [number, number, number];
  /** Display name; defaults to the picked folder's name. */
  name?: string;
  /** "stretch" scales each image to the shape; "contain" keeps its aspect ratio and pads with black. Default "stretch". */
  fit?: "stretch" | "contain";
  /** Inverts grey levels, for dark ink on light paper when the model expects light ink on black (as MNIST). Default false. */
  invert?: boolean;
  /**
   * Paths of class folders known to exist even when they hold no file, as a dropped folder
   * reports them. A folder picked with <input webkitdirectory> lists only files.
   */
  folders?: readonly string[];
}

const imageExtensions = /\.(png|jpe?g|gif|bmp|webp|avif)$/i;

/**
 * Builds a domain from a folder with one subfolder per class, such as pets/cat/*.png and
 * pets/dog/*.png. Class names are the subfolder names, sorted. Every image is decoded,
 * resized to the shape (stretched or contained), turned grey when the shape has 1 channel
 * and optionally inverted. The domain's `preparation` lists these steps.
 */
export async function imageFolderDomain(files: FileList | readonly File[] | readonly FolderFile[], options: ImageFolderOptions): Promise<Domain> {
  const entries = toFolderFiles(files);
  const [height, width, channels] = options.shape;
  if (channels !== 1 && channels !== 3) {
    throw new InputError(`invalid shape: [${options.shape.join(", ")}] (expected 1 or 3 channels, grey or RGB)`, { field: "shape", value: `[${options.shape.join(", ")}]` });
  }
  const root = entries[0]?.path.split("/")[0] ?? "folder";
  const name = options.name ?? root;
  const byClass = groupByClass(entries, options.folders ?? [], root);
  const classNames = [...byClass.keys()].sort((a, b) => a.localeCompare(b));
  for (const className of classNames) {
    if (byClass.get(className)!.length === 0) {
      throw new InputError(`empty class folder: ${root}/${className}/ has no images (expected .png, .jpg, .gif, .bmp or .webp files). Add images or remove the folder.`, {
        file: `${root}/${className}/`,
        field: "class",
        value: className,
      });
    }
  }
  if (classNames.length < 2) {
    throw new InputError(
      `invalid image folder: ${root}/ has ${classNames.length === 0 ? "no class subfolders" : `one class only (${classNames[0]})`} (expected at least 2 subfolders, one per class, such as ${root}/cat/ and ${root}/dog/).`,
      { file: `${root}/`, field: "classes", value: `[${classNames.join(", ")}]` },
    );
  }

  const ordered = classNames.flatMap((className, label) => byClass.get(className)!.map((entry) => ({ entry, label })));
  const length = height * width * channels;
  const images = new Uint8Array(ordered.length * length);
  const labels = new Uint8Array(ordered.length);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  const fit = options.fit ?? "stretch";
  for (const [index, { entry, label }] of ordered.entries()) {
    const bitmap = await decode(entry);
    try {
      context.fillStyle = "black";
      context.fillRect(0, 0, width, height);
      const scale = fit === "contain" ? Math.min(width / bitmap.width, height / bitmap.height) : 1;
      const drawWidth = fit === "contain" ? bitmap.width * scale : width;
      const drawHeight = fit === "contain" ? bitmap.height * scale : height;
      context.drawImage(bitmap, (width - drawWidth) / 2, (height - drawHeight) / 2, drawWidth, drawHeight);
    } finally {
      bitmap.close();
    }
    const rgba = context.getImageData(0, 0, width, height).data;
    const offset = index * length;
    for (let p = 0; p < width * height; p++) {
      const [r, g, b] = [rgba[p * 4]!, rgba[p * 4 + 1]!, rgba[p * 4 + 2]!];
      if (channels === 1) {
        // ITU-R BT.601 luma weights.
        const grey = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        images[offset + p] = options.invert ? 255 - grey : grey;
      } else {
        images.set(options.invert ? [255 - r, 255 - g, 255 - b] : [r, g, b], offset + p * 3);
      }
    }
    labels[index] = label;
  }
  const preparation = [
    `decoded ${ordered.length} images from ${root}/`,
    fit === "contain" ? `resized to ${height} × ${width} keeping the aspect ratio, padded with black` : `resized to ${height} × ${width} (stretched)`,
    channels === 1 ? "converted to grey (BT.601 luma)" : "kept as RGB",
    ...(options.invert ? ["inverted (255 - value)"] : []),
    "scaled to 0..1 when fed to the model",
  ];
  return { name, images, labels, count: ordered.length, classNames, shape: [height, width, channels], preparation };
}

function toFolderFiles(files: FileList | readonly File[] | readonly FolderFile[]): FolderFile[] {
  return Array.from(files as ArrayLike<File | FolderFile>).map((item) =>
    item instanceof Blob ? { path: (item as File).webkitRelativePath || (item as File).name, file: item } : item,
  );
}

/** Maps each class folder to its image files; a folder of only non-image files maps to none. */
function groupByClass(entries: readonly FolderFile[], folders: readonly string[], root: string): Map<string, FolderFile[]> {
  const byClass = new Map<string, FolderFile[]>();
  for (const folder of folders) {
    const parts = folder.split("/").filter(Boolean);
    if (parts.length === 2) byClass.set(parts[1]!, byClass.get(parts[1]!) ?? []);
  }
  for (const entry of entries) {
    const parts = entry.path.split("/");
    // Hidden files such as .DS_Store are not part of the data.
    if (parts.at(-1)!.startsWith(".")) continue;
    // Other files beside the class folders, such as a README or an index, are not images of a class.
    if (parts.length === 2 && !imageExtensions.test(parts[1]!)) continue;
    if (parts.length !== 3) {
      throw new InputError(
        `invalid image folder layout: ${entry.path} (expected ${root}/<class>/<image>, one subfolder per class and no deeper folders). Pick the folder that holds the class folders.`,
        { file: entry.path, field: "path", value: entry.path },
      );
    }
    const files = byClass.get(parts[1]!) ?? [];
    byClass.set(parts[1]!, files);
    if (imageExtensions.test(parts[2]!)) files.push(entry);
  }
  return byClass;
}

async function decode(entry: FolderFile): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(entry.file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`invalid image: ${entry.path} could not be decoded (${reason}). Remove or replace the file; the folder's other images are fine.`, {
      file: entry.path,
      field: "image",
      value: entry.path.split("/").at(-1)!,
      cause: error,
    });
  }
}
