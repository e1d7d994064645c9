import type { CacheOutcome } from "./cell-cache.ts";
import type { Module, Variable } from "@observablehq/runtime";
import { displayedValues, type CellRecord } from "./cell-record.ts";
import { classifyRejection, type CellGraph, type Slot } from "./classify-error.ts";
import { CellError, describeThrown } from "./errors.ts";

/**
 * Callbacks per cell. Each cell has one slot per output name plus a slot for the whole cell,
 * whose name is null. `fulfilled` and `rejected` report the latest state of a slot.
 */
export interface NotebookObserver {
  /** The cell's body is about to run again, so its displayed values, values and errors are stale. */
  pending?(cellId: string): void;
  /**
   * An output has a value, or a generator output yielded one. `name` is null for an expression
   * cell's value, and for a cell without outputs or expression when its body has finished.
   */
  fulfilled?(cellId: string, name: string | null, value: unknown): void;
  /** `name` is the output whose slot failed, or null for the whole cell or an expression cell's value. */
  rejected?(cellId: string, error: CellError, name: string | null): void;
  /** The cell's current displayed values: `display` arguments, then an expression cell's value. */
  displayed?(cellId: string, values: readonly unknown[]): void;
  /** A cached cell's result was computed, restored or resumed. `outcome` gives which and why. */
  cached?(cellId: string, outcome: CacheOutcome): void;
}

/**
 * Bridge from Observable's reports per variable to the per-cell state in CellRecord and the
 * NotebookObserver's callbacks.
 */
export class CellReporter {
  /** Variables that reported `pending` (or were just defined) and have not reported a result yet. */
  readonly pendingVariables = new Set<Variable>();
  private readonly observer: NotebookObserver;
  private readonly graph: CellGraph;
  private readonly onActivity: () => void;

  /** `onActivity` runs after every result, so that waiters can check whether the notebook settled. */
  constructor(observer: NotebookObserver, graph: CellGraph, onActivity: () => void) {
    this.observer = observer;
    this.graph = graph;
    this.onActivity = onActivity;
  }

  reportDisplayed(record: CellRecord): void {
    this.notify("displayed", record.id, displayedValues(record));
  }

  /** Creates a variable whose reports update `record` for `slot`. */
  createVariable(module: Module, record: CellRecord, slot: Slot): Variable {
    let variable: Variable | undefined;
    // Deleted and replaced variables still report their final computation, and those reports are dropped.
    const current = () => !record.removed && variable !== undefined && slotVariable(record, slot) === variable;
    variable = module.variable({
      pending: () => {
        if (current()) this.onPending(record, slot, variable!);
      },
      fulfilled: (value) => {
        if (current()) this.onFulfilled(record, slot, variable!, value);
      },
      rejected: (error) => {
        if (current()) this.onRejected(record, slot, variable!, error);
      },
    });
    return variable;
  }

  private onPending(record: CellRecord, slot: Slot, variable: Variable): void {
    this.pendingVariables.add(variable);
    if (slot.kind === "cell") {
      record.cellError = null;
      record.displays = [];
      this.notify("pending", record.id);
    } else if (slot.kind === "output") {
      record.outputErrors.delete(slot.name);
      record.values.delete(slot.name);
    } else {
      record.value = null;
      record.valueError = null;
    }
  }

  private onFulfilled(record: CellRecord, slot: Slot, variable: Variable, value: unknown): void {
    this.pendingVariables.delete(variable);
    if (slot.kind === "cell") {
      const compiled = record.compiled;
      if (compiled && !compiled.expression && compiled.outputs.length === 0) this.notify("fulfilled", record.id, null, undefined);
    } else if (slot.kind === "output") {
      record.values.set(slot.name, value);
      this.notify("fulfilled", record.id, slot.name, value);
    } else {
      record.value = { current: value };
      this.notify("fulfilled", record.id, null, value);
      this.reportDisplayed(record);
    }
    this.onActivity();
  }

  private onRejected(record: CellRecord, slot: Slot, variable: Variable, error: unknown): void {
    this.pendingVariables.delete(variable);
    let cellError = classifyRejection(error, record.id, slot, this.graph);
    if (slot.kind === "cell") {
      cellError ??= new CellError(describeThrown(error), { kind: "thrown", cellId: record.id, cause: error });
      record.cellError = cellError;
    } else if (slot.kind === "output") {
      record.values.delete(slot.name);
      if (cellError) record.outputErrors.set(slot.name, cellError);
    } else {
      record.value = null;
      record.valueError = cellError;
    }
    if (cellError) this.notify("rejected", record.id, cellError, slot.kind === "output" ? slot.name : null);
    this.onActivity();
  }

  private notify<E extends keyof NotebookObserver>(event: E, ...args: Parameters<NonNullable<NotebookObserver[E]>>): void {
    const callback = this.observer[event] as ((...values: unknown[]) => void) | undefined;
    if (!callback) return;
    try {
      callback.apply(this.observer, args);
    } catch (error) {
      // Observable calls observers inside its computation pass and its promise reactions, where an
      // exception would break the pass or surface as an unhandled rejection without the cell id.
      console.error(`notebook observer ${event} failed for cell ${String(args[0])}`, error);
    }
  }
}

function slotVariable(record: CellRecord, slot: Slot): Variable | null | undefined {
  if (slot.kind === "cell") return record.cellVariable;
  if (slot.kind === "output") return record.outputVariables.get(slot.name);
  return record.valueVariable;
}
