import { RuntimeError } from "@observablehq/runtime";
import { CellError, describeThrown } from "./errors.ts";

/** Queries about the notebook's cells that error classification needs. */
export interface CellGraph {
  /** Ids of the cells that declare `name`, in the order the cells were added. */
  definers(name: string): readonly string[];
  /** Names the cell reads from other cells, or none when it does not compile. */
  inputsOf(cellId: string): readonly string[];
  /** The error that the cell currently shows for `output`, falling back to the whole cell's error. */
  errorOf(cellId: string, output: string): CellError | undefined;
  isBuiltin(name: string): boolean;
  /** The cell whose hidden whole-cell variable has this name, if any. */
  cellOfVariable(name: string): string | undefined;
}

/**
 * The variable that reported a rejection: the whole-cell variable, one output's variable, or the
 * variable that carries an expression cell's value.
 */
export type Slot = { readonly kind: "cell" } | { readonly kind: "output"; readonly name: string } | { readonly kind: "value" };

// Messages of @observablehq/runtime 6.0.1 (runtime.js and variable.js). It raises these as
// RuntimeError without an `input` at the failing variable itself.
const CIRCULAR_MESSAGE = "circular definition";
const DUPLICATE_MESSAGE = / is defined more than once$/;

/**
 * Converts an Observable variable's rejection into the CellError to show. Returns null for a
 * rejection that only repeats the cell's own failure, such as an output variable that failed
 * because its cell threw. The whole-cell slot already shows that error.
 */
export function classifyRejection(error: unknown, cellId: string, slot: Slot, graph: CellGraph): CellError | null {
  if (error instanceof CellError) return error;
  if (!(error instanceof RuntimeError)) {
    const names = slot.kind === "output" ? [slot.name] : [];
    return new CellError(describeThrown(error), { kind: "thrown", cellId, names, cause: error });
  }

  const input = error.input;
  if (input === undefined) {
    if (error.message === CIRCULAR_MESSAGE) {
      // Every variable in a cycle gets this error. An output's cycle always runs through its own cell, which reports it.
      return slot.kind === "cell" ? circularError(cellId, graph, error) : null;
    }
    if (DUPLICATE_MESSAGE.test(error.message)) {
      return duplicateError(cellId, error.message.replace(DUPLICATE_MESSAGE, ""), graph, error);
    }
    return new CellError(error.message, { kind: "thrown", cellId, cause: error });
  }

  if (graph.cellOfVariable(input) !== undefined) return null;
  return inputError(cellId, input, graph, error);
}

function inputError(cellId: string, name: string, graph: CellGraph, error: Error): CellError {
  const definers = graph.definers(name);
  if (definers.length > 1) return duplicateError(cellId, name, graph, error);

  if (definers.length === 0) {
    if (graph.isBuiltin(name)) {
      return new CellError(`input "${name}" failed: ${error.message} (builtin)`, { kind: "input", cellId, names: [name], cause: error });
    }
    return new CellError(`${name} is not defined (declare it in a cell or import it)`, {
      kind: "undefined",
      cellId,
      names: [name],
      cause: error,
    });
  }

  const upstream = graph.errorOf(definers[0], name);
  if (!upstream) {
    return new CellError(`input "${name}" failed: ${error.message} (cell ${definers[0]})`, {
      kind: "input",
      cellId,
      names: [name],
      originCellId: definers[0],
      cause: error,
    });
  }
  let origin = upstream;
  while (origin.kind === "input" && origin.cause instanceof CellError) origin = origin.cause;
  return new CellError(`input "${name}" failed: ${origin.message} (cell ${origin.cellId})`, {
    kind: "input",
    cellId,
    names: [name],
    originCellId: origin.cellId,
    cause: upstream,
  });
}

function duplicateError(cellId: string, name: string, graph: CellGraph, error: Error): CellError {
  const definers = graph.definers(name);
  const where = definers.length > 1 ? `cells ${joinWords(definers)} declare it` : "more than one cell declares it";
  return new CellError(`${name} is defined more than once (${where}, so rename or remove all but one)`, {
    kind: "duplicate",
    cellId,
    names: [name],
    cause: error,
  });
}

function circularError(cellId: string, graph: CellGraph, error: Error): CellError {
  const cycle = findCycle(cellId, graph);
  if (!cycle) {
    return new CellError(`${CIRCULAR_MESSAGE} (a cell in a cycle uses this cell's outputs)`, { kind: "circular", cellId, cause: error });
  }
  const steps = cycle.map(({ from, name, to }) => `${from} uses ${name} from ${to}`);
  return new CellError(`${CIRCULAR_MESSAGE}: ${joinWords(steps)} (remove one of these uses)`, {
    kind: "circular",
    cellId,
    names: cycle.map((step) => step.name),
    cause: error,
  });
}

interface CycleStep {
  readonly from: string;
  readonly name: string;
  readonly to: string;
}

/** Finds the shortest chain of uses that leads from the cell back to itself. */
function findCycle(cellId: string, graph: CellGraph): CycleStep[] | undefined {
  const reachedBy = new Map<string, CycleStep>();
  let frontier = [cellId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const from of frontier) {
      for (const name of graph.inputsOf(from)) {
        const definers = graph.definers(name);
        if (definers.length !== 1) continue;
        const to = definers[0];
        if (to === cellId) return [...pathTo(from, reachedBy), { from, name, to }];
        if (reachedBy.has(to)) continue;
        reachedBy.set(to, { from, name, to });
        next.push(to);
      }
    }
    frontier = next;
  }
  return undefined;
}

function pathTo(cellId: string, reachedBy: ReadonlyMap<string, CycleStep>): CycleStep[] {
  const path: CycleStep[] = [];
  for (let step = reachedBy.get(cellId); step; step = reachedBy.get(step.from)) path.unshift(step);
  return path;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 2) return words.join(" and ");
  return `${words.slice(0, -1).join(", ")}, and ${words.at(-1)}`;
}
