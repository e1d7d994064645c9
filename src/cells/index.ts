/**
 * The transfer-learning library that notebooks import as "carryover": data, models,
 * fine-tuning with snapshots, analysis, and the views that draw them.
 */
export { selectBackend, backendOrder, type BackendChoice, type BackendName } from "../gpu/backend.ts";
export * from "./data/index.ts";
export { InputError } from "./errors.ts";
export { parameters } from "./parameters.ts";
export { createRandom, shuffle, shuffledIndices } from "./random.ts";
export { carryoverVersion, reportFormatVersion } from "./version.ts";
export { loadSourceModel, cloneModel, freezeLayers, checkLabels } from "./training/model.ts";
export { evaluate, type Evaluation } from "./training/evaluate.ts";
export { FineTuning, trainingStepCount, type FineTuneData, type FineTuneOptions } from "./training/fineTune.ts";
export { contentKey } from "./contentKey.ts";
export { resumeRun, type Resumable } from "./training/resumable.ts";
export { makeProbeSet, type ProbeSet } from "./training/probe.ts";
export * from "./training/metrics.ts";
export type * from "./training/types.ts";
export { computeTsne, iterateTsne } from "./analysis/tsne.ts";
export { projectRun, type RunProjection } from "./analysis/projectRun.ts";
export { makeReport, summarizeReport, checkReport, type RunReport, type RunSummary } from "./report.ts";
export { backendView } from "./views/backend.ts";
export { curvesView } from "./views/curves.ts";
export { classTableView, classRows } from "./views/classTable.ts";
export { progressView } from "./views/progress.ts";
export { transferView, runStatusView } from "./views/transfer.ts";
export { projectionView } from "./views/projection.ts";
export { reportView } from "./views/report.ts";
export { proxyADistance, rankNeuronsByDomain, type ProxyADistance, type NeuronRanking } from "./analysis/domainClassifier.ts";
export { fitLogisticRegression, predictProbabilities, type LogisticModel } from "./analysis/logisticRegression.ts";
export { relativeWeightChange, weightChangeOverEpochs, type LayerWeightChange } from "./analysis/weightChange.ts";
export { ckaPerLayer, ckaOverEpochs, proxyADistancePerLayer, proxyADistanceOverEpochs, poolChannels } from "./analysis/layerSimilarity.ts";
export * as kernels from "../gpu/kernels/index.ts";
export { computeGpuTsne, iterateGpuTsne } from "./analysis/gpuTsne.ts";
export { computeGpuUmap, iterateGpuUmap, type GpuUmapOptions } from "./analysis/gpuUmap.ts";
export { mirroredHistograms, type MirroredHistograms } from "./analysis/neuronHistograms.ts";
