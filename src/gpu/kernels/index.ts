/**
 * WGSL compute kernels for the transfer analyses. Every function takes a KernelContext
 * around a GPUDevice (from `navigator.gpu` in a browser, or the `webgpu` package in Node) and
 * plain typed arrays, and leaves no buffer behind when it settles.
 */
export { KernelContext, KernelScope } from "./context.ts";
export type { Matrix } from "./matrix.ts";
export { pairwiseSquaredDistances } from "./distances.ts";
export { kNearestNeighbours, maxNeighbours, type Neighbours } from "./knn.ts";
export { approximateNearestNeighbours, type ApproximateNeighbours, type NnDescentOptions } from "./nnDescent.ts";
export { correlationMatrix, type CorrelationResult } from "./correlation.ts";
export { linearCka } from "./cka.ts";
export { columnHistograms, type HistogramOptions } from "./histograms.ts";
export { TsneLayout, type TsneStep } from "./tsneLayout.ts";
export type { SparseAffinities } from "./tsneGradient.ts";
export { UmapLayout, type UmapGraph, type UmapSettings } from "./umapLayout.ts";
