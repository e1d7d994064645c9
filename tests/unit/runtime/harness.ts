import { NotebookRuntime, type CellDefinition, type NotebookRuntimeOptions } from "../../../src/runtime/runtime.ts";
import type { CellError } from "../../../src/runtime/errors.ts";

export type RuntimeEvent =
  | { readonly type: "pending"; readonly cellId: string }
  | { readonly type: "fulfilled"; readonly cellId: string; readonly name: string | null; readonly value: unknown }
  | { readonly type: "rejected"; readonly cellId: string; readonly error: CellError; readonly name: string | null }
  | { readonly type: "displayed"; readonly cellId: string; readonly values: readonly unknown[] };

export interface Harness {
  readonly runtime: NotebookRuntime;
  readonly events: RuntimeEvent[];
  /** Values an output had, in order, from `fulfilled` events. */
  valuesOf(cellId: string, name: string | null): unknown[];
  /** The current value of an output, from the cell's state. */
  value(cellId: string, name: string): unknown;
}

const open: NotebookRuntime[] = [];

/** Starts a runtime with a recording observer and loads the cells, given as id → source or as a list. */
export function startNotebook(
  cells: Readonly<Record<string, string>> | readonly CellDefinition[],
  options: Omit<NotebookRuntimeOptions, "observer"> = {},
): Harness {
  const events: RuntimeEvent[] = [];
  const runtime = new NotebookRuntime({
    ...options,
    observer: {
      pending: (cellId) => events.push({ type: "pending", cellId }),
      fulfilled: (cellId, name, value) => events.push({ type: "fulfilled", cellId, name, value }),
      rejected: (cellId, error, name) => events.push({ type: "rejected", cellId, error, name }),
      displayed: (cellId, values) => events.push({ type: "displayed", cellId, values }),
    },
  });
  open.push(runtime);
  const list = Array.isArray(cells) ? cells : Object.entries(cells).map(([id, source]) => ({ id, source }));
  runtime.load(list as readonly CellDefinition[]);
  return {
    runtime,
    events,
    valuesOf: (cellId, name) =>
      events.flatMap((event) => (event.type === "fulfilled" && event.cellId === cellId && event.name === name ? [event.value] : [])),
    value: (cellId, name) => runtime.cellState(cellId).values.get(name),
  };
}

/** Disposes every runtime the tests started; call from afterEach. */
export function disposeNotebooks(): void {
  for (const runtime of open.splice(0)) runtime.dispose();
}

export function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** A promise with its resolve function, for cells that wait on the test. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** An object that counts calls to `dispose`, as a tensor or model would be released. */
export class Resource {
  disposeCount = 0;
  constructor(readonly label: string) {}
  dispose(): void {
    this.disposeCount += 1;
  }
}
