import type createREGL from "regl";
import type { ImageProps } from "./commands.ts";
import { countBuffers, countTextures } from "./counters.ts";
import { DensityImage } from "./density.ts";

/**
 * The GPU side of density mode: one texture the size of the drawing buffer and a buffer of
 * the four corners it is drawn on. Created on first use, made again when the size changes,
 * and owned here until release().
 */
export class DensityLayer {
  private readonly regl: createREGL.Regl;
  private state: { image: DensityImage; texture: createREGL.Texture2D; corners: createREGL.Buffer } | undefined;

  constructor(regl: createREGL.Regl) {
    this.regl = regl;
  }

  /** Lets `render` fill a width × height image, uploads it, and returns the props to draw it with. */
  update(width: number, height: number, render: (image: DensityImage) => void): ImageProps {
    if (this.state && (this.state.image.width !== width || this.state.image.height !== height)) this.release();
    if (!this.state) {
      const image = new DensityImage(width, height);
      const texture = this.regl.texture({ width, height, format: "rgba", type: "uint8", min: "nearest", mag: "nearest" });
      countTextures(1);
      const corners = this.regl.buffer({ data: Float32Array.of(-1, -1, 1, -1, -1, 1, 1, 1), usage: "static", type: "float" });
      countBuffers(1);
      this.state = { image, texture, corners };
    }
    const { image, texture, corners } = this.state;
    render(image);
    texture.subimage({ data: image.rgba, width, height });
    return { texture, corners };
  }

  /** Destroys the texture and the buffer. Safe to call when nothing was created. */
  release(): void {
    if (!this.state) return;
    this.state.texture.destroy();
    countTextures(-1);
    this.state.corners.destroy();
    countBuffers(-1);
    this.state = undefined;
  }
}
