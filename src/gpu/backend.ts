import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";

export type BackendName = "webgpu" | "webgl" | "cpu";

/** The order tried when nothing else is requested: WebGPU first, then WebGL, then plain JavaScript. */
export const backendOrder: readonly BackendName[] = ["webgpu", "webgl", "cpu"];

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  /** True for software adapters such as SwiftShader: correct, but far slower than a GPU. */
  isFallbackAdapter: boolean;
}

export interface BackendChoice {
  /** The backend TensorFlow.js runs on now; every result records it. */
  name: BackendName;
  /** The first backend in the requested order. */
  requested: BackendName;
  /** One line for each backend that was tried and failed, with the reason. */
  notices: string[];
  adapter?: AdapterInfo;
}

/** Explains why WebGPU cannot start here, or returns undefined when an adapter exists. */
async function probeWebGpu(): Promise<{ reason?: string; adapter?: AdapterInfo }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { reason: "this browser has no WebGPU (navigator.gpu is missing)" };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { reason: "no WebGPU adapter (navigator.gpu.requestAdapter() returned null)" };
  const info = adapter.info;
  return {
    adapter: {
      vendor: info?.vendor ?? "",
      architecture: info?.architecture ?? "",
      isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter),
    },
  };
}

/**
 * On a software adapter (SwiftShader), tfjs-backend-webgpu's default convolution, a tiled
 * matrix product with workgroup barriers, is slow. Writing im2col to a buffer first and then
 * multiplying ran the digits CNN's forward pass 7 times faster there (5.6 ms against 40 ms
 * per image, measured with bench/finetune.ts). Real GPUs keep the library's default.
 */
function tuneForSoftwareAdapter(): void {
  tf.env().set("WEBGPU_CONV_SEPARATE_IM2COL_SHADER", true);
}

/**
 * Switches TensorFlow.js to the first backend in `order` that starts. Each backend that
 * fails adds a notice, so the page can state once why it runs on something slower.
 */
export async function selectBackend(order: readonly BackendName[] = backendOrder): Promise<BackendChoice> {
  if (order.length === 0) throw new Error("invalid backend order: [] (expected at least one of webgpu, webgl, cpu)");
  const notices: string[] = [];
  let adapter: AdapterInfo | undefined;
  for (const name of order) {
    if (!backendOrder.includes(name)) {
      throw new Error(`invalid backend: ${JSON.stringify(name)} (expected one of ${backendOrder.join(", ")})`);
    }
    if (name === "webgpu") {
      const probe = await probeWebGpu();
      if (probe.reason) {
        notices.push(`WebGPU unavailable: ${probe.reason}.`);
        continue;
      }
      adapter = probe.adapter;
    }
    let started = false;
    try {
      started = await tf.setBackend(name);
      await tf.ready();
    } catch (error) {
      notices.push(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}.`);
      continue;
    }
    if (started && tf.getBackend() === name) {
      if (name === "webgpu" && adapter?.isFallbackAdapter) tuneForSoftwareAdapter();
      return { name, requested: order[0]!, notices, adapter: name === "webgpu" ? adapter : undefined };
    }
    notices.push(`${name} failed to start.`);
  }
  throw new Error(`no TensorFlow.js backend started (tried ${order.join(", ")}): ${notices.join(" ")}`);
}
