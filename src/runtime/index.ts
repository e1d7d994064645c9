export { CELL_BUILTINS, compileCell, type CellImport, type CellResult, type CompiledCell, type CompileOptions, type ImportBinding } from "./compile.ts";
export { CellError, formatCellError, type CellErrorKind, type SourceLocation } from "./errors.ts";
export type { Library } from "./library.ts";
export {
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  type CellFence,
  type CellOptions,
  type MarkdownBlock,
  type Notebook,
  type NotebookBlock,
  type NotebookCell,
} from "./notebook.ts";
export { NotebookRuntime, type CellDefinition, type CellState, type NotebookObserver, type NotebookRuntimeOptions } from "./runtime.ts";
export { CellCache, type CacheOutcome, type CellCacheOptions } from "./cell-cache.ts";
export { CacheStore, Warnings, type CacheEntryInfo, type HashAdapter, type OutputCodec } from "./cache/index.ts";
export { CellLayoutError, LAYOUT_OPTION, MIN_NODE_SIZE, cellLayout, formatCellLayout, withCellLayout, withLayoutOption, type CellLayout } from "./cell-layout.ts";
export { NOTEBOOK_VIEWS, NotebookViewError, notebookView, withNotebookView, withoutFrontMatter, type NotebookView } from "./notebook-view.ts";
