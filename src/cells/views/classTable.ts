import type { Snapshot } from "../training/types.ts";
import { topConfusions } from "../training/metrics.ts";

export interface ClassRow {
  classIndex: number;
  className: string;
  /** Target model's accuracy on source validation data for this class. */
  source: number;
  /** Target model's accuracy on target validation data for this class. */
  target: number;
  /** target − source. */
  difference: number;
  /** "predicted as k: n times", most frequent first, on target data. */
  confusions: string;
  /** Wrong predictions for this class on target data, which the confusions column sorts by. */
  confusionCount: number;
}

/** Builds the per-class rows of one snapshot. */
export function classRows(snapshot: Snapshot, classNames: readonly string[]): ClassRow[] {
  const classCount = classNames.length;
  return classNames.map((className, classIndex) => {
    const source = snapshot.perClass.source[classIndex]!;
    const target = snapshot.perClass.target[classIndex]!;
    const top = topConfusions(snapshot.confusion.target, classCount, classIndex, classCount);
    const confusions = top
      .slice(0, 3)
      .map((c) => `predicted as ${classNames[c.predicted]}: ${c.count} ${c.count === 1 ? "time" : "times"}`)
      .join("; ");
    const confusionCount = top.reduce((sum, c) => sum + c.count, 0);
    return { classIndex, className, source, target, difference: target - source, confusions, confusionCount };
  });
}

/** Columns in order; `sortBy` is the field a click on the header sorts by. */
const columns: Array<{ key: keyof ClassRow; sortBy: keyof ClassRow; label: string; numeric: boolean }> = [
  { key: "className", sortBy: "classIndex", label: "class", numeric: false },
  { key: "source", sortBy: "source", label: "fine-tuned model on source validation", numeric: true },
  { key: "target", sortBy: "target", label: "fine-tuned model on target validation", numeric: true },
  { key: "difference", sortBy: "difference", label: "target − source", numeric: true },
  { key: "confusions", sortBy: "confusionCount", label: "most frequent confusions (target)", numeric: false },
];

const percent = (value: number) => (Number.isNaN(value) ? "–" : `${(value * 100).toFixed(1)}%`);

/** The class table: its `value` is the chosen class index, or null, announced by `input` events. */
export type ClassTableElement = HTMLTableElement & { readonly value: number | null };

/**
 * Renders a table sortable by clicking a column header; a second click reverses the order.
 * Clicking a row (or Enter or Space on it) chooses that class and clicking it again clears
 * the choice, so a notebook can link the class to other views through `inputValues`.
 */
export function classTableView(snapshot: Snapshot, classNames: readonly string[]): ClassTableElement {
  const data = classRows(snapshot, classNames);
  let chosen: number | null = null;
  const table = document.createElement("table") as HTMLTableElement & { value: number | null };
  Object.defineProperty(table, "value", { get: () => chosen });
  const choose = (classIndex: number) => {
    chosen = chosen === classIndex ? null : classIndex;
    for (const tr of body.rows) tr.setAttribute("aria-selected", String(Number(tr.dataset.classIndex) === chosen));
    table.dispatchEvent(new Event("input"));
  };
  table.className = "class-table";
  table.setAttribute("data-view", "class-table");
  const head = table.createTHead().insertRow();
  const body = table.createTBody();
  let sortKey: keyof ClassRow = "classIndex";
  let descending = false;

  const render = () => {
    const sorted = [...data].sort((a, b) => {
      let order = 0;
      if (a[sortKey] < b[sortKey]) order = -1;
      else if (a[sortKey] > b[sortKey]) order = 1;
      return descending ? -order : order;
    });
    body.replaceChildren();
    for (const row of sorted) {
      const tr = body.insertRow();
      tr.dataset.classIndex = String(row.classIndex);
      tr.tabIndex = 0;
      tr.style.cursor = "pointer";
      tr.title = "Choose this class in the linked views; click again to clear";
      tr.setAttribute("aria-selected", String(row.classIndex === chosen));
      tr.addEventListener("click", () => choose(row.classIndex));
      tr.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        choose(row.classIndex);
      });
      for (const column of columns) {
        const cell = tr.insertCell();
        const value = row[column.key];
        if (column.key === "difference") cell.textContent = signedPercent(value as number);
        else if (column.numeric) cell.textContent = percent(value as number);
        else cell.textContent = String(value);
        if (column.numeric) cell.style.textAlign = "right";
      }
    }
  };

  const headers: HTMLTableCellElement[] = [];
  const markSorted = () => {
    const order = descending ? "descending" : "ascending";
    const arrow = descending ? " ▼" : " ▲";
    columns.forEach((column, i) => {
      const sorted = column.sortBy === sortKey;
      headers[i]!.setAttribute("aria-sort", sorted ? order : "none");
      headers[i]!.textContent = sorted ? column.label + arrow : column.label;
    });
  };
  for (const column of columns) {
    const th = document.createElement("th");
    th.style.cursor = "pointer";
    th.title = "Sort by this column; click again to reverse";
    th.addEventListener("click", () => {
      // A new column starts with the most informative order: largest first for numbers and confusion counts.
      descending = sortKey === column.sortBy ? !descending : column.sortBy !== "classIndex";
      sortKey = column.sortBy;
      markSorted();
      render();
    });
    headers.push(th);
    head.appendChild(th);
  }
  markSorted();
  render();
  return table;
}

/** Returns the indices whose label is `classIndex`, ascending, which are the instances of a chosen class row. */
export function indicesOfClass(labels: ArrayLike<number>, classIndex: number): number[] {
  const indices: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === classIndex) indices.push(i);
  return indices;
}

function signedPercent(value: number): string {
  if (Number.isNaN(value)) return "–";
  const text = `${(value * 100).toFixed(1)} pp`;
  return value > 0 ? `+${text}` : text;
}
