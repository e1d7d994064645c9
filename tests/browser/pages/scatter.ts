// Test page for tests/browser/scatter.test.ts. It exposes `window.scatterTest`, whose
// methods the test calls through page.evaluate; every argument and result is plain JSON.
import { createScatterplot, liveScatterResources, type Bounds, type RenderMode, type Scatterplot } from "../../../src/gpu/scatter/scatterplot.ts";
import { projectionView, type ProjectionViewElement } from "../../../src/cells/views/projection.ts";

/** One point: x, y, palette index, shape code, outlined (0 or 1). */
type PointRow = [number, number, number, number, number];

const palette: [number, number, number][] = [
  [220, 30, 30],
  [30, 30, 220],
  [30, 160, 30],
];

let canvas: HTMLCanvasElement | undefined;
let plot: Scatterplot | undefined;
let view: ProjectionViewElement | undefined;

function current(): Scatterplot {
  if (!plot) throw new Error("missing scatterplot: call scatterTest.create first");
  return plot;
}

/** Pixels that differ from white by more than 24 in some channel, counted per half of the canvas. */
interface Coverage {
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Drawing buffer size in device pixels. */
  width: number;
  height: number;
}

function coverage(source: HTMLCanvasElement): Coverage {
  const { data, width, height } = pixels(source);
  const counts = { left: 0, right: 0, top: 0, bottom: 0, width, height };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const ink = Math.max(255 - data[p]!, 255 - data[p + 1]!, 255 - data[p + 2]!) > 24;
      if (!ink) continue;
      if (x < width / 2) counts.left++;
      else counts.right++;
      if (y < height / 2) counts.top++;
      else counts.bottom++;
    }
  }
  return counts;
}

function pixels(source: HTMLCanvasElement): ImageData {
  const copy = document.createElement("canvas");
  copy.width = source.width;
  copy.height = source.height;
  const context = copy.getContext("2d")!;
  context.drawImage(source, 0, 0);
  return context.getImageData(0, 0, copy.width, copy.height);
}

/** Returns a short fingerprint of the canvas pixels, to tell two drawings apart. */
function fingerprint(source: HTMLCanvasElement): string {
  const { data } = pixels(source);
  let hash = 2166136261;
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i]!, 16777619);
  return (hash >>> 0).toString(16);
}

const api = {
  resources: () => liveScatterResources(),

  create(width: number, height: number, pointSize = 8, mode: RenderMode = "auto"): void {
    canvas = document.createElement("canvas");
    Object.assign(canvas.style, { display: "block", width: `${width}px`, height: `${height}px`, position: "absolute", left: "10px", top: "10px" });
    document.body.append(canvas);
    plot = createScatterplot(canvas, { palette, pointSize, mode });
  },

  setPoints(points: PointRow[]): void {
    current().setData({
      x: Float32Array.from(points, (p) => p[0]),
      y: Float32Array.from(points, (p) => p[1]),
      colour: Uint8Array.from(points, (p) => p[2]),
      shape: Uint8Array.from(points, (p) => p[3]),
      outlined: Uint8Array.from(points, (p) => p[4]),
    });
  },

  fit(bounds?: Bounds): void {
    current().fitView(bounds);
  },

  draw(): void {
    current().draw();
  },

  coverage: () => coverage(canvas!),

  /** Sets `count` seeded points in a Gaussian blob of standard deviation `spread` around (cx, cy), all palette colour 0. */
  setBlob(count: number, cx: number, cy: number, spread: number): void {
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const x = new Float32Array(count);
    const y = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const radius = Math.sqrt(-2 * Math.log(1 - random())) * spread;
      const angle = 2 * Math.PI * random();
      x[i] = cx + radius * Math.cos(angle);
      y[i] = cy + radius * Math.sin(angle);
    }
    current().setData({ x, y });
  },

  /** The current scatterplot, for calls that need no JSON translation. */
  plot: () => current(),

  /**
   * Counts, per region (CSS pixels [x0, y0, x1, y1) from the canvas's corner), the pixels within
   * 40 (Euclidean, sRGB bytes) of `rgb`.
   */
  colourCounts(rgb: [number, number, number], regions: [number, number, number, number][]): number[] {
    const { data, width } = pixels(canvas!);
    const ratio = window.devicePixelRatio || 1;
    return regions.map(([x0, y0, x1, y1]) => {
      let count = 0;
      for (let y = Math.round(y0 * ratio); y < Math.round(y1 * ratio); y++) {
        for (let x = Math.round(x0 * ratio); x < Math.round(x1 * ratio); x++) {
          const p = (y * width + x) * 4;
          if (Math.hypot(data[p]! - rgb[0], data[p + 1]! - rgb[1], data[p + 2]! - rgb[2]) <= 40) count++;
        }
      }
      return count;
    });
  },

  /** Returns [first, last] device-pixel columns of each run of non-white pixels on device row `y`. */
  inkRuns(y: number): [number, number][] {
    const { data, width } = pixels(canvas!);
    const runs: [number, number][] = [];
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const p = (y * width + x) * 4;
      const ink = x < width && Math.max(255 - data[p]!, 255 - data[p + 1]!, 255 - data[p + 2]!) > 24;
      if (ink && start < 0) start = x;
      if (!ink && start >= 0) {
        runs.push([start, x - 1]);
        start = -1;
      }
    }
    return runs;
  },

  /** Returns the client (viewport) position of a data point. */
  toClient(x: number, y: number): [number, number] {
    const rect = canvas!.getBoundingClientRect();
    const [cssX, cssY] = current().toCanvas(x, y);
    return [rect.left + cssX, rect.top + cssY];
  },

  pick: (clientX: number, clientY: number) => current().pick(clientX, clientY),

  destroy(): void {
    current().destroy();
  },

  destroyed: () => current().destroyed,

  /** Returns the message of the error that draw() throws, or "" when it does not throw. */
  drawError(): string {
    try {
      current().draw();
      return "";
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  },

  setDataError(points: PointRow[]): string {
    try {
      api.setPoints(points);
      return "";
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  },

  /** Mounts a projection view of `n` synthetic probe images over three epochs. */
  mountProjection(n: number, transitionMs = 0): void {
    const layouts: Float32Array[] = [];
    const predictions: Uint8Array[] = [];
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    for (let epoch = 0; epoch < 3; epoch++) {
      const layout = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        // Epoch 0 scatters points on a spiral; later epochs pull each class towards its own spot.
        const angle = i * 0.7;
        const radius = 1 + i / 20;
        const pull = epoch / 3;
        const target = (labels[i]! / 10) * 2 * Math.PI;
        layout[2 * i] = (1 - pull) * radius * Math.cos(angle) + pull * 8 * Math.cos(target);
        layout[2 * i + 1] = (1 - pull) * radius * Math.sin(angle) + pull * 8 * Math.sin(target);
      }
      layouts.push(layout);
      predictions.push(Uint8Array.from(labels, (label, i) => (i % (epoch + 2) === 0 ? (label + 1) % 10 : label)));
    }
    const images = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) images.fill(255, i * 784 + 300, i * 784 + 480);
    view = projectionView({
      layouts,
      predictions,
      labels,
      domain: Uint8Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1)),
      images,
      classNames: Array.from({ length: 10 }, (_, c) => String(c)),
      domainNames: ["MNIST", "UCI digits"],
      epochLabels: ["epoch 0", "epoch 1", "epoch 2"],
      transitionMs,
    });
    view.style.width = "640px";
    document.body.append(view);
  },

  /** Waits two animation frames, so that ResizeObserver callbacks and scheduled draws have run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  },

  projectionCoverage(): Coverage {
    return coverage(projectionCanvas());
  },

  projectionFingerprint: () => fingerprint(projectionCanvas()),

  setEpoch(epoch: number): string {
    const slider = view!.querySelector<HTMLInputElement>('input[type="range"]')!;
    slider.value = String(epoch);
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    return view!.querySelector("output")!.textContent ?? "";
  },

  /**
   * Sends synthetic pointer moves over the projection canvas on a 6-pixel grid and returns
   * the first position where the tooltip appears, or undefined when none does.
   */
  findHoverTarget(): [number, number] | undefined {
    const target = projectionCanvas();
    const rect = target.getBoundingClientRect();
    for (let y = rect.top + 3; y < rect.bottom; y += 6) {
      for (let x = rect.left + 3; x < rect.right; x += 6) {
        target.dispatchEvent(new PointerEvent("pointermove", { clientX: x, clientY: y, bubbles: true }));
        if (api.tooltipText() !== undefined) return [x, y];
      }
    }
    return undefined;
  },

  /** The projection view element, for calls that need no JSON translation. */
  projection: () => view!,

  tooltipText(): string | undefined {
    const tooltip = view!.querySelector<HTMLElement>('[data-role="tooltip"]')!;
    return tooltip.hidden ? undefined : (tooltip.textContent ?? "");
  },

  disposeProjection(): void {
    view!.dispose();
    view!.remove();
  },
};

function projectionCanvas(): HTMLCanvasElement {
  const found = view?.querySelector<HTMLCanvasElement>('canvas[data-role="scatter"]');
  if (!found) throw new Error("missing projection canvas: call scatterTest.mountProjection first");
  return found;
}

declare global {
  interface Window {
    scatterTest: typeof api;
  }
}
window.scatterTest = api;
