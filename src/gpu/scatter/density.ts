import type { Camera, ViewSize } from "./camera.ts";
import { styleBytes } from "./data.ts";
import type { PointGrid } from "./pick.ts";

/**
 * Draws heavily overplotted points on the CPU as an image, in place of one sprite per point.
 *
 * Each visible point adds its colour, weighted by its opacity, to the pixel under its centre.
 * A box filter as wide as a point then spreads the sums over the point's footprint. After it,
 * each pixel contains k, the expected number of points covering it, and their mean colour. The pixel's
 * alpha is 1 − (1 − a)^k, which is what k sprites of opacity a blended in any order give.
 * The cost is one pass over the visible points plus a few passes over the pixels, against a
 * rasterised sprite per point, which software rasterisers such as SwiftShader pay dearly for.
 */
export class DensityImage {
  readonly width: number;
  readonly height: number;
  /** Premultiplied RGBA bytes, top row first. */
  readonly rgba: Uint8Array;
  private readonly weight: Float32Array;
  private readonly red: Float32Array;
  private readonly green: Float32Array;
  private readonly blue: Float32Array;
  private readonly scratch: Float32Array;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.rgba = new Uint8Array(width * height * 4);
    this.weight = new Float32Array(width * height);
    this.red = new Float32Array(width * height);
    this.green = new Float32Array(width * height);
    this.blue = new Float32Array(width * height);
    this.scratch = new Float32Array(Math.max(width, height));
  }

  /**
   * Renders the points of `grid` in view. `styles` is the packed style buffer (colour index
   * first, opacity last), `palette` sRGB bytes, `pointSize` the sprite diameter and `ratio` the
   * device pixels per CSS pixel. `opacity` is the plot's opacity for every point.
   */
  render(grid: PointGrid, styles: Uint8Array, palette: readonly [number, number, number][], camera: Camera, view: ViewSize, ratio: number, pointSize: number, opacity: number): void {
    const { width, height, weight, red, green, blue } = this;
    weight.fill(0);
    red.fill(0);
    green.fill(0);
    blue.fill(0);

    const scale = camera.scale * ratio;
    const left = camera.centreX - view.width / 2 / camera.scale;
    const top = camera.centreY + view.height / 2 / camera.scale;
    const right = camera.centreX + view.width / 2 / camera.scale;
    const bottom = camera.centreY - view.height / 2 / camera.scale;
    const b = grid.bounds;
    if (!(right < b.xMin || left > b.xMax || top < b.yMin || bottom > b.yMax)) {
      const { starts, members, positions, columns } = grid;
      const firstColumn = grid.cellColumn(left);
      const lastColumn = grid.cellColumn(right);
      const firstRow = grid.cellRow(bottom);
      const lastRow = grid.cellRow(top);
      const splat = (i: number) => {
        const px = Math.floor((positions[2 * i]! - left) * scale);
        const py = Math.floor((top - positions[2 * i + 1]!) * scale);
        if (px < 0 || py < 0 || px >= width || py >= height) return;
        const pixel = py * width + px;
        const s = i * styleBytes;
        const alpha = styles[s + styleBytes - 1]! / 255;
        const colour = palette[styles[s]!]!;
        weight[pixel]! += alpha;
        red[pixel]! += alpha * colour[0];
        green[pixel]! += alpha * colour[1];
        blue[pixel]! += alpha * colour[2];
      };
      const visibleCells = (lastColumn - firstColumn + 1) * (lastRow - firstRow + 1);
      if (visibleCells * 4 > grid.columns * grid.rows) {
        // Most of the grid is in view: reading the points in index order touches memory in
        // sequence, which is several times faster than jumping through the grid's cells.
        for (let i = 0; i < grid.count; i++) splat(i);
      } else {
        for (let row = firstRow; row <= lastRow; row++) {
          const end = starts[row * columns + lastColumn + 1]!;
          for (let m = starts[row * columns + firstColumn]!; m < end; m++) splat(members[m]!);
        }
      }
    }

    const radius = Math.max(Math.round((pointSize * ratio) / 2), 0);
    for (const channel of [weight, red, green, blue]) this.boxFilter(channel, radius);

    // The box is (2r + 1)² pixels; the disc it stands for covers π (d / 2)² of them.
    const window = (2 * radius + 1) ** 2;
    const coverage = (Math.PI * ((pointSize * ratio) / 2) ** 2) / window;
    const logTransparency = Math.log(Math.max(1 - opacity, 1e-6));
    const out = this.rgba;
    for (let p = 0; p < width * height; p++) {
      const w = weight[p]!;
      if (w <= 0) {
        out[4 * p] = 0;
        out[4 * p + 1] = 0;
        out[4 * p + 2] = 0;
        out[4 * p + 3] = 0;
        continue;
      }
      const alpha = 1 - Math.exp(w * window * coverage * logTransparency);
      out[4 * p] = (red[p]! / w) * alpha;
      out[4 * p + 1] = (green[p]! / w) * alpha;
      out[4 * p + 2] = (blue[p]! / w) * alpha;
      out[4 * p + 3] = alpha * 255;
    }
  }

  /** Replaces `channel` by its mean over a (2r + 1)² box, rows then columns, with running sums. */
  private boxFilter(channel: Float32Array, radius: number): void {
    if (radius === 0) return;
    const { width, height, scratch } = this;
    const window = 2 * radius + 1;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      let sum = 0;
      for (let x = 0; x < Math.min(radius, width); x++) sum += channel[row + x]!;
      for (let x = 0; x < width; x++) {
        if (x + radius < width) sum += channel[row + x + radius]!;
        if (x - radius - 1 >= 0) sum -= channel[row + x - radius - 1]!;
        scratch[x] = sum / window;
      }
      channel.set(scratch.subarray(0, width), row);
    }
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let y = 0; y < Math.min(radius, height); y++) sum += channel[y * width + x]!;
      for (let y = 0; y < height; y++) {
        if (y + radius < height) sum += channel[(y + radius) * width + x]!;
        if (y - radius - 1 >= 0) sum -= channel[(y - radius - 1) * width + x]!;
        scratch[y] = sum / window;
      }
      for (let y = 0; y < height; y++) channel[y * width + x] = scratch[y]!;
    }
  }
}
