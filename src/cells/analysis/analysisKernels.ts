import * as tf from "@tensorflow/tfjs";
import { KernelContext } from "../../gpu/kernels/context.ts";
import { correlationMatrix } from "../../gpu/kernels/correlation.ts";
import { linearCka } from "../../gpu/kernels/cka.ts";
import { columnHistograms } from "../../gpu/kernels/histograms.ts";
import { referenceCorrelation } from "./reference/correlation.ts";
import { referenceLinearCka } from "./reference/cka.ts";
import { referenceColumnHistograms } from "./reference/histograms.ts";
import type { Matrix } from "../../gpu/kernels/matrix.ts";
import { contentKey } from "../contentKey.ts";

/**
 * Compute functions of the level analyses: the WGSL kernels on TensorFlow.js's own WebGPU device when
 * the notebook runs on WebGPU, or the plain TypeScript references otherwise. `notice` states
 * the fallback, so a view can show it instead of falling back silently.
 */
export interface AnalysisKernels {
  /** "webgpu" when the kernels run, "reference" when the TypeScript references do. */
  kind: "webgpu" | "reference";
  notice?: string;
  correlation(source: Matrix, target: Matrix): Promise<Float32Array>;
  cka(source: Matrix, target: Matrix): Promise<number>;
  histograms(matrix: Matrix, bins: number, ranges: Float32Array): Promise<Uint32Array>;
  /** GPU buffers the kernels hold now; 0 between calls. */
  liveBuffers(): number;
  /** The kernels' context on TensorFlow.js's WebGPU device, for the GPU projections; set when `kind` is "webgpu". */
  context?: KernelContext;
  /** Describes the kernels for the notebook cache: results differ by where they were computed. */
  [contentKey](): unknown;
}

const contexts = new WeakMap<GPUDevice, KernelContext>();

/**
 * Picks the kernels for the notebook's backend (see {@link AnalysisKernels}). `backend` is the
 * notebook's backend choice; TensorFlow.js must be running on it.
 */
export function analysisKernels(backend: { name: string }): AnalysisKernels {
  const name = tf.getBackend();
  if (name !== backend.name) {
    throw new Error(`invalid backend: TensorFlow.js runs on ${name} but the notebook selected ${backend.name} (select the backend before computing the level analyses)`);
  }
  const device = name === "webgpu" ? (tf.backend() as unknown as { device?: GPUDevice }).device : undefined;
  if (!device) {
    return {
      kind: "reference",
      notice: `The level analyses run on the CPU (TypeScript reference code) because the TensorFlow.js backend is ${name}, not WebGPU; results are the same, only slower.`,
      correlation: async (source, target) => Float32Array.from(referenceCorrelation(source.data, target.data, source.rows, source.columns, target.columns)),
      cka: async (source, target) => referenceLinearCka(source.data, source.columns, target.data, target.columns, source.rows),
      histograms: async (matrix, bins, ranges) => referenceColumnHistograms(matrix.data, matrix.rows, matrix.columns, bins, ranges),
      liveBuffers: () => 0,
      [contentKey]: () => ({ kind: "reference" }),
    };
  }
  let context = contexts.get(device);
  if (!context) contexts.set(device, (context = new KernelContext(device)));
  const kernels = context;
  return {
    kind: "webgpu",
    correlation: async (source, target) => (await correlationMatrix(kernels, source, target)).correlations,
    cka: (source, target) => linearCka(kernels, source, target),
    histograms: (matrix, bins, ranges) => columnHistograms(kernels, matrix, { bins, ranges }),
    liveBuffers: () => kernels.liveBuffers,
    context: kernels,
    [contentKey]: () => ({ kind: "webgpu" }),
  };
}
