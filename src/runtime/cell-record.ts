import type { CacheOutcome } from "./cell-cache.ts";
import type { CellOptions } from "./notebook.ts";
import type { Variable } from "@observablehq/runtime";
import type { CellRun } from "./cell-run.ts";
import type { CompiledCell } from "./compile.ts";
import type { CellError } from "./errors.ts";

/** Snapshot of one cell for the page and the headless runner. */
export interface CellState {
  readonly id: string;
  /**
   * `pending` while the body or an output's promise is running, `rejected` when `errors` is not
   * empty, otherwise `fulfilled`. A cell whose generator is between values is `fulfilled`.
   */
  readonly status: "pending" | "fulfilled" | "rejected";
  /** Names the cell reads, or none while it does not compile. */
  readonly inputs: readonly string[];
  /** Names the cell defines. While it does not compile, these are the names of its last good source. */
  readonly outputs: readonly string[];
  /** Latest value of each fulfilled output (the latest yielded value for a generator). */
  readonly values: ReadonlyMap<string, unknown>;
  /** The cell's own error first, then errors of single outputs. */
  readonly errors: readonly CellError[];
  /** Values passed to `display`, then an expression cell's value unless it is undefined. */
  readonly displayed: readonly unknown[];
  readonly runCount: number;
  /** For a cell marked `cache`: whether its result was computed, restored or resumed, and why. */
  readonly cache: CacheOutcome | null;
}

/** The runtime's bookkeeping for one cell, with one field group per slot (see Slot in classify-error.ts). */
export interface CellRecord {
  readonly id: string;
  readonly line: number;
  compiled: CompiledCell | null;
  /** Variable named `cellVariableName(id)` that runs the body and fulfills with its CellResult. */
  cellVariable: Variable | null;
  /** One variable per output name, which picks the output from the CellResult. */
  readonly outputVariables: Map<string, Variable>;
  /** For expression cells, the variable that carries the value, so that generators stream. */
  valueVariable: Variable | null;
  run: CellRun | null;
  runCount: number;
  removed: boolean;
  cellError: CellError | null;
  readonly outputErrors: Map<string, CellError>;
  valueError: CellError | null;
  readonly values: Map<string, unknown>;
  displays: readonly unknown[];
  /** Boxed so that an undefined value differs from no value yet. */
  value: { readonly current: unknown } | null;
  /** Options from the cell's fence, such as `cache`. */
  options: CellOptions;
  source: string;
  cache: CacheOutcome | null;
}

/**
 * Name of the variable that runs a cell's body. The space keeps it apart from every name a
 * cell can declare or use.
 */
export function cellVariableName(id: string): string {
  return `cell ${id}`;
}

export function createCellRecord(id: string, line: number, options: CellOptions = {}): CellRecord {
  return {
    id,
    line,
    compiled: null,
    cellVariable: null,
    outputVariables: new Map(),
    valueVariable: null,
    run: null,
    runCount: 0,
    removed: false,
    cellError: null,
    outputErrors: new Map(),
    valueError: null,
    values: new Map(),
    displays: [],
    value: null,
    options,
    source: "",
    cache: null,
  };
}

export function cellVariables(record: CellRecord): Variable[] {
  const variables = [...record.outputVariables.values()];
  if (record.valueVariable) variables.push(record.valueVariable);
  if (record.cellVariable) variables.push(record.cellVariable);
  return variables;
}

export function displayedValues(record: CellRecord): unknown[] {
  const values = [...record.displays];
  if (record.value && record.value.current !== undefined) values.push(record.value.current);
  return values;
}

export function cellErrors(record: CellRecord): CellError[] {
  const errors = record.cellError ? [record.cellError] : [];
  errors.push(...record.outputErrors.values());
  if (record.valueError) errors.push(record.valueError);
  return errors;
}

export function snapshotCell(record: CellRecord, pending: boolean): CellState {
  const errors = cellErrors(record);
  let status: CellState["status"] = "fulfilled";
  if (pending) status = "pending";
  else if (errors.length > 0) status = "rejected";
  return {
    id: record.id,
    status,
    inputs: record.compiled?.inputs ?? [],
    outputs: [...record.outputVariables.keys()],
    values: new Map(record.values),
    errors,
    displayed: displayedValues(record),
    runCount: record.runCount,
    cache: record.cache,
  };
}
