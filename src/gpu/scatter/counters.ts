/**
 * Live counts of what scatterplots hold on the GPU, across all instances in this page.
 * Tests compare them before and after destroy() to find leaks.
 */
const live = { buffers: 0, textures: 0, instances: 0 };

export interface ScatterResources {
  /** Vertex buffers not yet destroyed. */
  buffers: number;
  /** Textures not yet destroyed. */
  textures: number;
  /** Scatterplots created and not yet destroyed. */
  instances: number;
}

/** Returns a snapshot of the live counts. */
export function liveScatterResources(): ScatterResources {
  return { ...live };
}

export function countBuffers(delta: number): void {
  live.buffers += delta;
}

export function countTextures(delta: number): void {
  live.textures += delta;
}

export function countInstances(delta: number): void {
  live.instances += delta;
}
