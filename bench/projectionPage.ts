// Benchmark page for bench/projection.ts: takes a WebGPU device from the page's own
// `navigator.gpu`, wraps it in a KernelContext, and times one size of the projection benchmark
// per call of `window.benchProjection`. The context lives as long as the page, so `liveBuffers`
// counts across calls.
import { KernelContext } from "../src/gpu/kernels/context.ts";
import { benchProjection, describeAdapter, type AdapterDescription, type ProjectionBenchRequest, type ProjectionBenchResult } from "./projectionBench.ts";

let gpu: Promise<{ context: KernelContext; adapter: AdapterDescription }> | undefined;

async function openDevice(): Promise<{ context: KernelContext; adapter: AdapterDescription }> {
  if (!navigator.gpu) throw new Error("missing navigator.gpu: launch Chromium with --enable-unsafe-webgpu");
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error("no WebGPU adapter: navigator.gpu.requestAdapter() returned null");
  const device = await adapter.requestDevice();
  device.lost.then((info) => console.error(`WebGPU device lost (${info.reason}): ${info.message}`));
  return { context: new KernelContext(device), adapter: describeAdapter(adapter.info) };
}

declare global {
  interface Window {
    benchProjection?: (request: ProjectionBenchRequest) => Promise<ProjectionBenchResult>;
  }
}

window.benchProjection = async (request) => {
  gpu ??= openDevice();
  const { context, adapter } = await gpu;
  return benchProjection(context, adapter, request);
};
