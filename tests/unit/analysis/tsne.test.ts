import { describe, expect, test } from "vitest";
import { pca } from "../../../src/cells/analysis/pca.ts";
import { alignProcrustes } from "../../../src/cells/analysis/procrustes.ts";
import { projectEpochs, type ProjectionEvent } from "../../../src/cells/analysis/projection.ts";
import { computeTsne, iterateTsne } from "../../../src/cells/analysis/tsne.ts";
import { jointProbabilities } from "../../../src/cells/analysis/tsneAffinities.ts";
import { computeGradient, klDivergence } from "../../../src/cells/analysis/tsneGradient.ts";
import { createGaussian } from "../../../src/cells/analysis/gaussian.ts";
import { createRandom } from "../../../src/cells/random.ts";

/** Three isotropic Gaussian clusters (standard deviation 1) whose centres are `separation` apart. */
function threeClusters(perCluster: number, d: number, seed: number, separation = 10): { data: Float32Array; labels: number[] } {
  const gaussian = createGaussian(createRandom(seed));
  const n = 3 * perCluster;
  const data = new Float32Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const cluster = i % 3;
    labels.push(cluster);
    for (let j = 0; j < d; j++) {
      // Centres at s·e₀, s·e₁ and s·e₂ are s·√2 apart pairwise.
      data[i * d + j] = gaussian() + (j === cluster ? separation / Math.SQRT2 : 0);
    }
  }
  return { data, labels };
}

function distance(layout: Float32Array, i: number, j: number): number {
  return Math.hypot(layout[2 * i]! - layout[2 * j]!, layout[2 * i + 1]! - layout[2 * j + 1]!);
}

function meanDistances(layout: Float32Array, labels: number[]): { within: number; between: number } {
  let within = 0;
  let withinCount = 0;
  let between = 0;
  let betweenCount = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (labels[i] === labels[j]) {
        within += distance(layout, i, j);
        withinCount++;
      } else {
        between += distance(layout, i, j);
        betweenCount++;
      }
    }
  }
  return { within: within / withinCount, between: between / betweenCount };
}

/** Fraction of points whose nearest other point in the layout has the same label. */
function nearestNeighbourAgreement(layout: Float32Array, labels: number[]): number {
  let agree = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let j = 0; j < labels.length; j++) {
      if (j === i) continue;
      const value = distance(layout, i, j);
      if (value < bestDistance) {
        bestDistance = value;
        best = j;
      }
    }
    if (labels[best] === labels[i]) agree++;
  }
  return agree / labels.length;
}

/** Mean distance between matching points after scaling both layouts to an RMS radius of 1. */
function shapeChange(from: Float32Array, to: Float32Array): number {
  const fromScale = 1 / rmsRadius(from);
  const toScale = 1 / rmsRadius(to);
  let sum = 0;
  for (let i = 0; i < from.length / 2; i++) {
    sum += Math.hypot(to[2 * i]! * toScale - from[2 * i]! * fromScale, to[2 * i + 1]! * toScale - from[2 * i + 1]! * fromScale);
  }
  return sum / (from.length / 2);
}

function rmsRadius(layout: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < layout.length; i++) sum += layout[i]! * layout[i]!;
  return Math.sqrt(sum / (layout.length / 2));
}

describe("t-SNE", () => {
  test("separates three clusters", () => {
    const { data, labels } = threeClusters(40, 20, 1);
    const layout = computeTsne(data, 120, 20, { seed: 7 });
    const { within, between } = meanDistances(layout, labels);
    expect(within / between).toBeLessThan(0.25);
    expect(nearestNeighbourAgreement(layout, labels)).toBe(1);
  });

  test("reduces wide input by PCA", () => {
    // In 120 dimensions the noise alone puts two members of a cluster about √240 ≈ 15.5 apart.
    const { data, labels } = threeClusters(30, 120, 2, 30);
    const layout = computeTsne(data, 90, 120, { seed: 7, iterations: 500 });
    const { within, between } = meanDistances(layout, labels);
    expect(within / between).toBeLessThan(0.25);
  });

  test("output is centred", () => {
    const { data } = threeClusters(20, 10, 3);
    const layout = computeTsne(data, 60, 10, { seed: 1, iterations: 200 });
    let x = 0;
    let y = 0;
    for (let i = 0; i < 60; i++) {
      x += layout[2 * i]!;
      y += layout[2 * i + 1]!;
    }
    expect(Math.abs(x / 60)).toBeLessThan(1e-4);
    expect(Math.abs(y / 60)).toBeLessThan(1e-4);
  });

  test("same seed gives identical output", () => {
    const { data } = threeClusters(20, 10, 3);
    const first = computeTsne(data, 60, 10, { seed: 5, iterations: 300 });
    const second = computeTsne(data, 60, 10, { seed: 5, iterations: 300 });
    const other = computeTsne(data, 60, 10, { seed: 6, iterations: 300 });
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  test("init on unchanged data stays close", () => {
    const { data } = threeClusters(40, 20, 4);
    const start = computeTsne(data, 120, 20, { seed: 3 });
    const continued = computeTsne(data, 120, 20, { seed: 3, init: start });

    // After 1000 iterations t-SNE still changes its overall scale by a few percent (seen:
    // 2 to 5 % per 300 more iterations), so the arrangement is compared at equal scale.
    const scaleRatio = rmsRadius(continued) / rmsRadius(start);
    expect(scaleRatio).toBeGreaterThan(0.9);
    expect(scaleRatio).toBeLessThan(1.1);
    expect(shapeChange(start, continued)).toBeLessThan(0.03);
  });

  test("gradient matches finite differences", () => {
    const n = 7;
    const points = Float64Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 1.7) * 3);
    const p = jointProbabilities(points, n, 3, 2);
    expect(p.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);

    const y = Float64Array.from({ length: 2 * n }, (_, i) => Math.cos(i * 2.3));
    const gradient = new Float64Array(2 * n);
    computeGradient(y, p, n, 1, new Float64Array(n * n), gradient);
    const h = 1e-6;
    for (let c = 0; c < 2 * n; c++) {
      const plus = Float64Array.from(y);
      const minus = Float64Array.from(y);
      plus[c]! += h;
      minus[c]! -= h;
      const numeric = (klDivergence(plus, p, n) - klDivergence(minus, p, n)) / (2 * h);
      expect(gradient[c]).toBeCloseTo(numeric, 7);
    }
  });

  test("generator reports every iteration", () => {
    const { data } = threeClusters(10, 5, 5);
    const seen: number[] = [];
    const steps = iterateTsne(data, 30, 5, { iterations: 20 });
    let result = steps.next();
    while (!result.done) {
      expect(result.value.iterations).toBe(20);
      seen.push(result.value.iteration);
      result = steps.next();
    }
    expect(seen).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(result.value).toHaveLength(60);
  });

  test("tiny input gives finite output", () => {
    const data = Float32Array.from([0, 0, 1, 0, 0, 1, 5, 5, 5, 6]);
    const layout = computeTsne(data, 5, 2, { iterations: 100 });
    expect(layout.every(Number.isFinite)).toBe(true);
    expect(computeTsne(Float32Array.from([1, 2]), 1, 2)).toEqual(Float32Array.from([0, 0]));
  });

  test("rejects malformed input", () => {
    expect(() => computeTsne(new Float32Array(10), 3, 3)).toThrow("invalid t-SNE data length: 10 (expected 3 × 3 = 9");
    expect(() => computeTsne(Float32Array.from([0, Number.NaN]), 2, 1)).toThrow("invalid t-SNE data value: NaN at row 1");
    expect(() => computeTsne(new Float32Array(4), 2, 2, { perplexity: 0 })).toThrow("invalid t-SNE perplexity: 0");
    expect(() => computeTsne(new Float32Array(4), 2, 2, { init: new Float32Array(3) })).toThrow("invalid t-SNE init length: 3");
  });
});

describe("Procrustes alignment", () => {
  function randomLayout(n: number, seed: number): Float32Array {
    const gaussian = createGaussian(createRandom(seed));
    return Float32Array.from({ length: 2 * n }, () => gaussian() * 10);
  }

  test("recovers a known rotation", () => {
    const reference = randomLayout(50, 1);
    const angle = (40 * Math.PI) / 180;
    const moving = new Float32Array(100);
    for (let i = 0; i < 50; i++) {
      const x = reference[2 * i]!;
      const y = reference[2 * i + 1]!;
      moving[2 * i] = Math.cos(angle) * x - Math.sin(angle) * y + 3;
      moving[2 * i + 1] = Math.sin(angle) * x + Math.cos(angle) * y - 7;
    }
    const { aligned, rotation, reflected } = alignProcrustes(moving, reference);
    expect(reflected).toBe(false);
    // Undoing a counter-clockwise turn by 40° on row vectors is p·R with R = [[c, −s], [s, c]].
    expect(rotation[0]).toBeCloseTo(Math.cos(angle), 6);
    expect(rotation[1]).toBeCloseTo(-Math.sin(angle), 6);
    expect(rotation[2]).toBeCloseTo(Math.sin(angle), 6);
    expect(rotation[3]).toBeCloseTo(Math.cos(angle), 6);
    for (let i = 0; i < 100; i++) expect(aligned[i]).toBeCloseTo(reference[i]!, 3);
  });

  test("recovers a reflection when allowed", () => {
    const reference = randomLayout(30, 2);
    const mirrored = reference.map((value, i) => (i % 2 === 0 ? -value : value));
    const allowed = alignProcrustes(mirrored, reference);
    expect(allowed.reflected).toBe(true);
    for (let i = 0; i < 60; i++) expect(allowed.aligned[i]).toBeCloseTo(reference[i]!, 3);
    const rotationOnly = alignProcrustes(mirrored, reference, { allowReflection: false });
    expect(rotationOnly.reflected).toBe(false);
  });

  test("rejects layouts of different lengths", () => {
    expect(() => alignProcrustes(new Float32Array(4), new Float32Array(6))).toThrow("invalid Procrustes layouts: lengths 4 and 6");
  });
});

describe("PCA", () => {
  test("finds the axis of points on a line", () => {
    // Points (t, 2t) for t = −2..2: one axis along (1, 2)/√5 with variance 5·var(t) = 12.5.
    const data = Float32Array.from([-2, -4, -1, -2, 0, 0, 1, 2, 2, 4]);
    const result = pca(data, 5, 2, { components: 2 });
    expect(result.components[0]).toBeCloseTo(1 / Math.sqrt(5), 6);
    expect(result.components[1]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(result.variances[0]).toBeCloseTo(12.5, 6);
    expect(result.variances[1]).toBeCloseTo(0, 6);
    expect(Array.from(result.mean)).toEqual([0, 0]);
  });

  test("recovers planted axes in 80 dimensions", () => {
    // The 8 points ±3u ± 2v ± w for orthonormal u, v, w have covariance (8/7)(9uuᵀ + 4vvᵀ + wwᵀ).
    const d = 80;
    const gaussian = createGaussian(createRandom(11));
    const axes: Float64Array[] = [];
    for (let a = 0; a < 3; a++) {
      const axis = Float64Array.from({ length: d }, () => gaussian());
      for (const previous of axes) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += axis[j]! * previous[j]!;
        for (let j = 0; j < d; j++) axis[j]! -= dot * previous[j]!;
      }
      const length = Math.hypot(...axis);
      axes.push(axis.map((value) => value / length));
    }
    const weights = [3, 2, 1];
    const data = new Float32Array(8 * d);
    for (let corner = 0; corner < 8; corner++) {
      for (let a = 0; a < 3; a++) {
        const sign = corner & (1 << a) ? 1 : -1;
        for (let j = 0; j < d; j++) data[corner * d + j]! += sign * weights[a]! * axes[a]![j]! + 0.5;
      }
    }

    const result = pca(data, 8, d, { components: 3, seed: 4 });
    for (let a = 0; a < 3; a++) {
      expect(result.variances[a]).toBeCloseTo((8 / 7) * weights[a]! ** 2, 3);
      let dot = 0;
      for (let j = 0; j < d; j++) dot += result.components[a * d + j]! * axes[a]![j]!;
      expect(Math.abs(dot)).toBeCloseTo(1, 5);
    }
    for (let corner = 0; corner < 8; corner++) {
      expect(Math.abs(result.scores[corner * 3]!)).toBeCloseTo(3, 4);
    }
  });

  test("rejects more components than the data has", () => {
    expect(() => pca(new Float32Array(6), 3, 2, { components: 3 })).toThrow("invalid pca components: 3 (expected a whole number, 1 to 2)");
  });
});

describe("projectEpochs", () => {
  async function collect(events: AsyncGenerator<ProjectionEvent>): Promise<{ layouts: Float32Array[]; progress: number }> {
    let progress = 0;
    for await (const event of events) {
      if (event.type === "done") return { layouts: event.layouts, progress };
      progress++;
      expect(event.fraction).toBeGreaterThanOrEqual(0);
      expect(event.fraction).toBeLessThanOrEqual(1);
    }
    throw new Error("projectEpochs ended without a done event");
  }

  /** Returns threeClusters data per epoch, with cluster 0 moved by `drift` per epoch along the last axis. */
  function driftingEpochs(perCluster: number, epochs: number, drift: number): Float32Array[] {
    const d = 8;
    const { data } = threeClusters(perCluster, d, 9);
    return Array.from({ length: epochs }, (_, epoch) =>
      data.map((value, k) => (Math.floor(k / d) % 3 === 0 && k % d === d - 1 ? value + drift * epoch : value)),
    );
  }

  test("t-SNE epochs start from the previous layout", async () => {
    const epochs = driftingEpochs(40, 3, 0.5);
    const { layouts, progress } = await collect(projectEpochs(epochs, 120, 8, { seed: 1, method: "tsne", sliceMilliseconds: 0 }));
    expect(layouts).toHaveLength(3);
    expect(progress).toBeGreaterThan(0);

    // An independent run on the last epoch, aligned the same way, shows how far points jump without init.
    const independent = alignProcrustes(computeTsne(epochs[2]!, 120, 8, { seed: 2 }), layouts[1]!).aligned;
    const jump = shapeChange(layouts[1]!, independent);
    for (let epoch = 1; epoch < 3; epoch++) {
      const step = shapeChange(layouts[epoch - 1]!, layouts[epoch]!);
      expect(step).toBeLessThan(0.05);
      expect(step).toBeLessThan(jump / 4);
    }
  });

  test("UMAP layouts are seeded and aligned", async () => {
    const epochs = driftingEpochs(20, 2, 0);
    const first = await collect(projectEpochs(epochs, 60, 8, { seed: 2, method: "umap" }));
    const second = await collect(projectEpochs(epochs, 60, 8, { seed: 2, method: "umap" }));
    expect(second.layouts).toEqual(first.layouts);
    expect(first.layouts[1]).toHaveLength(120);
    expect(first.layouts[1]!.every(Number.isFinite)).toBe(true);
  });

  test("rejects an unknown method", async () => {
    const events = projectEpochs([new Float32Array(4)], 2, 2, { seed: 1, method: "pca" as "tsne" });
    await expect(events.next()).rejects.toThrow('invalid projection method: "pca"');
  });
});
