import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseMnist } from "../../../src/cells/data/mnist.ts";

const folder = "public/data/fashion-mnist";

describe("committed Fashion-MNIST subset", () => {
  test("parses 1,000 images with all ten classes", async () => {
    const domain = await parseMnist({
      images: readFileSync(`${folder}/t10k-images-1000-idx3-ubyte.gz`),
      labels: readFileSync(`${folder}/t10k-labels-1000-idx1-ubyte.gz`),
      imagesFile: "t10k-images-1000-idx3-ubyte.gz",
      labelsFile: "t10k-labels-1000-idx1-ubyte.gz",
      name: "Fashion-MNIST",
    });
    expect(domain.count).toBe(1000);
    expect(domain.images.length).toBe(1000 * 28 * 28);
    const counts = new Array(10).fill(0);
    for (const label of domain.labels) counts[label] += 1;
    expect(counts).toEqual([107, 105, 111, 93, 115, 87, 97, 95, 95, 95]);
    expect(Math.max(...domain.images.subarray(0, 784))).toBeGreaterThan(100);
  });
});
