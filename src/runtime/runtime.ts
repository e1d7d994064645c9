import { Runtime, type Module } from "@observablehq/runtime";
import { cellVariableName, cellVariables, createCellRecord, snapshotCell, type CellRecord, type CellState } from "./cell-record.ts";
import { CellReporter, type NotebookObserver } from "./cell-reporter.ts";
import { CellRun } from "./cell-run.ts";
import type { CellGraph } from "./classify-error.ts";
import { CELL_BUILTINS, compileCell, type CellResult, type CompiledCell } from "./compile.ts";
import { CellError, describeThrown } from "./errors.ts";
import { GeneratorTracker, isGeneratorLike } from "./generators.ts";
import { resolveImports, validateLibrary, type Library } from "./library.ts";
import type { CellOptions, NotebookBlock, NotebookCell } from "./notebook.ts";
import { CellCache, type CellCacheOptions } from "./cell-cache.ts";

export type { CellState } from "./cell-record.ts";
export type { NotebookObserver } from "./cell-reporter.ts";

export interface NotebookRuntimeOptions {
  /** Modules that cells can import by specifier. */
  readonly library?: Library;
  /** Extra names that every cell can use (e.g. `overrides`), unless a cell declares the same name. */
  readonly builtins?: Readonly<Record<string, unknown>>;
  readonly observer?: NotebookObserver;
  /** Persistent cache for cells marked `cache` in their fence; without it every cell computes. */
  readonly cache?: CellCacheOptions;
}

/** A cell to add. NotebookCell blocks from parseNotebook have this shape. */
export interface CellDefinition {
  readonly id: string;
  readonly source: string;
  /** 1-based notebook line of the first source line, for syntax error positions. Default 1. */
  readonly line?: number;
  /** Options from the cell's fence: `cache` stores its result, `cache=false` never does. */
  readonly options?: CellOptions;
}

/** Raised from a superseded run's definition; Observable ignores rejections of superseded versions. */
const SUPERSEDED = new Error("superseded cell run");

/**
 * A reactive notebook on one Observable runtime module. Each cell becomes one variable that runs
 * its body, one variable per output name, and for expression cells one variable for the value.
 */
export class NotebookRuntime {
  private readonly runtime: Runtime;
  private readonly module: Module;
  private readonly library: Library;
  private readonly builtinNames: ReadonlySet<string>;
  private readonly records = new Map<string, CellRecord>();
  private readonly generators = new GeneratorTracker(() => this.notifyActivity());
  private activityWaiters: (() => void)[] = [];
  private disposed = false;
  private readonly reporter: CellReporter;
  private readonly cache: CellCache | undefined;
  private readonly observer: NotebookObserver;

  constructor(options: NotebookRuntimeOptions = {}) {
    this.library = options.library ?? {};
    validateLibrary(this.library);
    const builtins = options.builtins ?? {};
    for (const name of Object.keys(builtins)) {
      if (CELL_BUILTINS.includes(name)) {
        throw new Error(`invalid builtin: ${JSON.stringify(name)} (every cell already has its own ${name}, so choose another name)`);
      }
    }
    this.builtinNames = new Set(Object.keys(builtins));
    // Observable calls a builtin that is a function to get its value, so each value is wrapped.
    const definitions = Object.fromEntries(Object.entries(builtins).map(([name, value]) => [name, () => value]));
    this.runtime = new Runtime(definitions);
    this.module = this.runtime.module();
    const graph: CellGraph = {
      definers: (name) => [...this.records.values()].filter((record) => record.outputVariables.has(name)).map((record) => record.id),
      inputsOf: (cellId) => this.records.get(cellId)?.compiled?.inputs ?? [],
      errorOf: (cellId, output) => {
        const record = this.records.get(cellId);
        return record?.outputErrors.get(output) ?? record?.cellError ?? undefined;
      },
      isBuiltin: (name) => this.builtinNames.has(name),
      cellOfVariable: (name) => (name.startsWith("cell ") && this.records.has(name.slice(5)) ? name.slice(5) : undefined),
    };
    this.observer = options.observer ?? {};
    this.reporter = new CellReporter(this.observer, graph, () => this.notifyActivity());
    this.cache = options.cache ? new CellCache(options.cache) : undefined;
  }

  /** Replaces all cells with the notebook's cells. */
  load(notebook: { readonly blocks: readonly NotebookBlock[] } | readonly CellDefinition[]): void {
    this.assertOpen();
    const cells = "blocks" in notebook ? notebook.blocks.filter((block): block is NotebookCell => block.kind === "cell") : notebook;
    const seen = new Set<string>();
    for (const cell of cells) {
      if (seen.has(cell.id)) throw new Error(`invalid cell id: ${JSON.stringify(cell.id)} (expected each cell to have its own id)`);
      seen.add(cell.id);
    }
    for (const id of [...this.records.keys()]) this.removeCell(id);
    for (const cell of cells) this.addCell(cell);
  }

  addCell(cell: CellDefinition): void {
    this.assertOpen();
    if (this.records.has(cell.id)) {
      throw new Error(`invalid cell id: ${JSON.stringify(cell.id)} (expected a new id, because a cell with this id exists)`);
    }
    const record = createCellRecord(cell.id, cell.line ?? 1, cell.options);
    this.records.set(cell.id, record);
    record.cellVariable = this.reporter.createVariable(this.module, record, { kind: "cell" });
    this.defineCell(record, cell.source);
  }

  /** Redefines the cell, which re-runs it and the cells that depend on it, and no others. */
  updateCell(id: string, source: string): void {
    this.assertOpen();
    this.defineCell(this.record(id), source);
  }

  /** Removes the cell, ending its generators, clearing its timers and disposing what it created. */
  removeCell(id: string): void {
    this.assertOpen();
    const record = this.record(id);
    record.removed = true;
    this.records.delete(id);
    record.run?.invalidate();
    // Outputs go first, so that no variable is left reading the cell variable's name.
    for (const variable of cellVariables(record)) {
      this.reporter.pendingVariables.delete(variable);
      variable.delete();
    }
    this.notifyActivity();
  }

  /** Ids of the current cells, in the order they were added. */
  cellIds(): string[] {
    return [...this.records.keys()];
  }

  /** Returns how many times the cell's body has started running. */
  runCount(id: string): number {
    return this.record(id).runCount;
  }

  cellState(id: string): CellState {
    const record = this.record(id);
    const pending = cellVariables(record).some((variable) => this.reporter.pendingVariables.has(variable));
    return snapshotCell(record, pending);
  }

  /**
   * Resolves once no cell is pending and every generator output has finished. A generator that
   * never finishes (a clock, say) keeps the promise pending, so callers that allow one should
   * race this with a timeout. Resolves at once after `dispose()`.
   */
  async settled(): Promise<void> {
    for (;;) {
      if (this.disposed) return;
      await this.runtime._compute();
      if (this.isBusy()) {
        await new Promise<void>((resolve) => this.activityWaiters.push(resolve));
        continue;
      }
      // One more computation pass lets reactions to the last event schedule their work.
      await this.runtime._compute();
      if (!this.isBusy()) return;
    }
  }

  /** Ends every cell as removal would and releases the Observable runtime. Later calls raise an error. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const record of this.records.values()) {
      record.removed = true;
      record.run?.invalidate();
    }
    this.runtime.dispose();
    this.records.clear();
    this.reporter.pendingVariables.clear();
    this.notifyActivity();
  }

  private defineCell(record: CellRecord, source: string): void {
    record.source = source;
    const compiled = compileCell(source, record.id, { line: record.line });
    const name = cellVariableName(record.id);
    const variable = record.cellVariable!;
    let outputs: readonly string[];
    if (compiled instanceof CellError) {
      record.compiled = null;
      // The last good outputs stay defined, so their users report this error as a failed input.
      outputs = [...record.outputVariables.keys()];
      variable.define(name, [], () => {
        record.run?.invalidate();
        throw compiled;
      });
    } else {
      record.compiled = compiled;
      outputs = compiled.outputs;
      variable.define(name, [...compiled.inputs, "invalidation"], this.cellDefinition(record, compiled));
    }
    this.defineOutputs(record, outputs);
    this.defineValue(record, !(compiled instanceof CellError) && compiled.expression);
    // Observable reports `pending` on its next frame. Until then, the cell's state and settled()
    // already count the redefined variables as pending. Each of them reports a result, because
    // every variable here has an observer and so is computed.
    for (const defined of cellVariables(record)) this.reporter.pendingVariables.add(defined);
  }

  private cellDefinition(record: CellRecord, compiled: CompiledCell): (...args: unknown[]) => Promise<CellResult> {
    return (...args) => {
      const invalidation = args.pop() as Promise<void>;
      record.run?.invalidate();
      const run = new CellRun(args, {
        displayed: (values) => {
          if (record.run !== run || record.removed) return;
          record.displays = values;
          this.reporter.reportDisplayed(record);
        },
        disposeFailed: (error) => console.warn(`failed to dispose a value created by cell ${record.id}`, error),
      });
      record.run = run;
      void invalidation.then(() => run.invalidate());

      const body = this.runBody(record, compiled, run, args);
      body.then((result) => run.adopt(result), () => {});
      // Observable waits for a variable's previous definition before running the next one, so
      // a superseded body that is still awaiting would hold back the edit that replaced it.
      const superseded = run.invalidation.then(() => Promise.reject(SUPERSEDED));
      return Promise.race([body, superseded]);
    };
  }

  private async runBody(record: CellRecord, compiled: CompiledCell, run: CellRun, args: readonly unknown[]): Promise<CellResult> {
    const imports = await resolveImports(compiled.imports, this.library, record.id);
    if (run.isInvalidated) throw SUPERSEDED;
    run.borrow(Object.values(imports));
    const scope: Record<string, unknown> = Object.create(null);
    compiled.inputs.forEach((name, i) => (scope[name] = args[i]));
    Object.assign(scope, run.builtins(), imports);
    const execute = async () => {
      record.runCount += 1;
      try {
        return await compiled.run(scope);
      } catch (error) {
        throw new CellError(describeThrown(error), { kind: "thrown", cellId: record.id, cause: error });
      }
    };
    if (!this.cache || !isCached(record.options)) return execute();
    // Names that resolve to the page's globals (Math, Object, …) are the platform, not data, so they stay out of the key.
    const isNotebookName = (name: string) => this.builtinNames.has(name) || [...this.records.values()].some((other) => other.outputVariables.has(name));
    const inputs = Object.fromEntries(compiled.inputs.flatMap((name, i) => (isNotebookName(name) ? [[name, args[i]]] : [])));
    return this.cache.run(record.id, record.source, inputs, execute, (outcome) => {
      if (record.run !== run || record.removed) return;
      record.cache = outcome;
      this.observer.cached?.(record.id, outcome);
    }, run.invalidation);
  }

  /** Keeps one variable per output name, creating and deleting them as the names change. */
  private defineOutputs(record: CellRecord, names: readonly string[]): void {
    for (const [name, variable] of [...record.outputVariables]) {
      if (names.includes(name)) continue;
      record.outputVariables.delete(name);
      record.values.delete(name);
      record.outputErrors.delete(name);
      this.reporter.pendingVariables.delete(variable);
      variable.delete();
    }
    for (const name of names) {
      if (record.outputVariables.has(name)) continue;
      const variable = this.reporter.createVariable(this.module, record, { kind: "output", name });
      record.outputVariables.set(name, variable);
      variable.define(name, [cellVariableName(record.id), "invalidation"], (result: CellResult, invalidation: Promise<void>) =>
        this.streamed(result.outputs.get(name), invalidation),
      );
    }
  }

  private defineValue(record: CellRecord, needed: boolean): void {
    if (needed && !record.valueVariable) {
      const variable = this.reporter.createVariable(this.module, record, { kind: "value" });
      record.valueVariable = variable;
      variable.define([cellVariableName(record.id), "invalidation"], (result: CellResult, invalidation: Promise<void>) =>
        this.streamed(result.value, invalidation),
      );
    } else if (!needed && record.valueVariable) {
      const variable = record.valueVariable;
      record.valueVariable = null;
      record.value = null;
      record.valueError = null;
      this.reporter.pendingVariables.delete(variable);
      variable.delete();
    }
  }

  /** Returning a generator from a definition makes Observable iterate it, one value per frame. */
  private streamed(value: unknown, invalidation: Promise<void>): unknown {
    return isGeneratorLike(value) ? this.generators.track(value, invalidation) : value;
  }

  private isBusy(): boolean {
    return this.reporter.pendingVariables.size > 0 || this.generators.activeCount > 0;
  }

  private notifyActivity(): void {
    const waiters = this.activityWaiters;
    this.activityWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private record(id: string): CellRecord {
    const record = this.records.get(id);
    if (!record) throw new Error(`cell not found: ${JSON.stringify(id)} (expected the id of a loaded cell)`);
    return record;
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error("notebook runtime is disposed (create a new NotebookRuntime)");
  }
}


/** Returns whether a cell is cached: its fence has `cache` or `cache=true`. With `cache=false` or no option it never is. */
function isCached(options: CellOptions): boolean {
  const value = options.cache;
  return value === true || value === "true";
}
