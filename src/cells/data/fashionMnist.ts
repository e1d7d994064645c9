import { fetchBytes } from "./load.ts";
import { parseMnist } from "./mnist.ts";
import type { Domain } from "./types.ts";

/** Fashion-MNIST's class names, in label order. */
export const FASHION_CLASS_NAMES: readonly string[] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

/** URLs of the committed 1,000-image subset, relative to the page (vite serves `public/` at the root). */
export const FASHION_MNIST_URLS = {
  images: "data/fashion-mnist/t10k-images-1000-idx3-ubyte.gz",
  labels: "data/fashion-mnist/t10k-labels-1000-idx1-ubyte.gz",
} as const;

const FASHION_HINT = "Check that public/data/fashion-mnist/ holds both files and is served next to the page, or pass their URLs to loadFashionMnist.";

/**
 * Downloads and parses Fashion-MNIST IDX files (default: the committed subset of 1,000 test
 * images, see public/data/fashion-mnist/README.md). The images are MNIST-sized, 28×28 with 0 as
 * background, so an MNIST model reads them unchanged.
 */
export async function loadFashionMnist(urls: { images?: string; labels?: string } = {}): Promise<Domain> {
  const imagesUrl = urls.images ?? FASHION_MNIST_URLS.images;
  const labelsUrl = urls.labels ?? FASHION_MNIST_URLS.labels;
  const imagesFile = imagesUrl.slice(imagesUrl.lastIndexOf("/") + 1);
  const labelsFile = labelsUrl.slice(labelsUrl.lastIndexOf("/") + 1);
  const [images, labels] = await Promise.all([fetchBytes(imagesFile, imagesUrl, FASHION_HINT), fetchBytes(labelsFile, labelsUrl, FASHION_HINT)]);
  const domain = await parseMnist({ images, labels, imagesFile, labelsFile, name: "Fashion-MNIST" });
  return { ...domain, classNames: [...FASHION_CLASS_NAMES] };
}
