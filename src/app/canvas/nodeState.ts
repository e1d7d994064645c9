import type { CellState } from "../../runtime/runtime.ts";
import { cellNames } from "./cellNames.ts";

/**
 * What a node and its outgoing connectors show. `running`: the cell's own body or outputs are
 * computing. `stale`: the cell waits for an input that is itself pending, so its shown value
 * is out of date. `cached`: the value was restored from the result cache without running.
 */
export type NodeState = "running" | "stale" | "failed" | "cached" | "done";

export function nodeState(state: CellState, inputPending: boolean): NodeState {
  if (state.status === "rejected") return "failed";
  if (state.status === "pending") return inputPending ? "stale" : "running";
  if (state.cache?.status === "restored") return "cached";
  return "done";
}

/**
 * The node's heading: the names the cell declares, else the library functions it imports (a
 * view cell such as `curvesView(run.snapshots)` reads as "curvesView"), else the first line of
 * its code.
 */
export function nodeTitle(id: string, outputs: readonly string[], source: string): string {
  if (outputs.length > 0) return outputs.join(", ");
  const imported = cellNames(source)?.imported ?? [];
  if (imported.length > 0) return imported.join(", ");
  const line = source
    .split("\n")
    .map((text) => text.trim())
    .find((text) => text !== "" && !text.startsWith("import ") && !text.startsWith("//"));
  if (!line) return id;
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}
