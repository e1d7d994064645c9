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
export { inputValues, type InputElement } from "./views/inputValues.ts";
export { selectionSummaryView } from "./views/selectionSummary.ts";
export type { ProjectionSelection, ProjectionViewElement } from "./views/projection.ts";
export { createScatterplot, scatterDataFromTable, liveScatterResources, type Scatterplot, type ScatterData } from "../gpu/scatter/scatterplot.ts";
export { loadModel, type ModelSource } from "./models/load.ts";
export { describeLayers, probeLayerNames, chooseProbeLayer, modelInputShape, checkInputShape, replaceHead, type LayerRow, type HeadOptions } from "./models/layers.ts";
export { domainFromArrays, type ArrayDomainInput } from "./data/arrays.ts";
export { parseNpy, type NpyArray } from "./data/npy.ts";
export { domainFromArrow, type ArrowDomainOptions } from "./data/arrow.ts";
export { imageFolderDomain, type FolderFile, type ImageFolderOptions } from "./data/imageFolder.ts";
export { mapClasses, type ClassMapping } from "./data/classMap.ts";
export { modelPicker } from "./inputs/modelPicker.ts";
export { folderPicker, type PickedFolder } from "./inputs/folderPicker.ts";
export { modelSummaryView } from "./views/modelSummary.ts";
export { domainView, classMappingView } from "./views/domain.ts";
export { isOutOfMemory } from "./training/faults.ts";
export { fetchImageFolder } from "./data/imageFolderUrl.ts";
export { layerChooser, type LayerChoice } from "./inputs/layerChooser.ts";
