import { create, globals } from "webgpu";
import { KernelContext } from "../../../src/gpu/kernels/context.ts";
import type { Tiling } from "../../../src/gpu/kernels/tiledPairs.ts";
import { createGaussian } from "../../../src/cells/analysis/gaussian.ts";
import { createRandom } from "../../../src/cells/random.ts";

// Dawn finds SwiftShader, the software Vulkan driver that Debian's chromium ships, through this
// variable. The Vulkan loader reads it when the first adapter is requested, not at import.
process.env.VK_ICD_FILENAMES ??= "/usr/lib/chromium/vk_swiftshader_icd.json";
Object.assign(globalThis, globals);

// The object `create` returns must stay reachable: if it is garbage-collected, Dawn crashes the process.
let gpu: GPU | undefined;
let device: GPUDevice | undefined;

/** Returns a KernelContext on this process's one WebGPU device, creating the device on first use. */
export async function kernelContext(options: { tiling?: Tiling } = {}): Promise<KernelContext> {
  if (!device) {
    gpu ??= create([]) as GPU;
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error("no WebGPU adapter in Node: install libvulkan1 and chromium (for SwiftShader)");
    device = await adapter.requestDevice();
  }
  return new KernelContext(device, options);
}

/** Returns rows × columns standard normal values, seeded. */
export function gaussianMatrix(rows: number, columns: number, seed: number): Float32Array {
  const gaussian = createGaussian(createRandom(seed));
  const data = new Float32Array(rows * columns);
  for (let i = 0; i < data.length; i++) data[i] = gaussian();
  return data;
}

/** Returns the largest absolute difference between two arrays of the same length. */
export function maxAbsoluteDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} differs from ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/**
 * Milliseconds allowed per GPU test. SwiftShader runs the kernels on the CPU, and on a shared
 * 2-core machine a 250-step t-SNE took 0.9 s alone and over 5 s under load.
 */
export const gpuTestTimeout = 60_000;
