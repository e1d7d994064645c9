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
}

/** Builds the per-class rows of one snapshot. */
export function classRows(snapshot: Snapshot, classNames: readonly string[]): ClassRow[] {
  const classCount = classNames.length;
  return classNames.map((className, classIndex) => {
    const source = snapshot.perClass.source[classIndex]!;
    const target = snapshot.perClass.target[classIndex]!;
    const confusions = topConfusions(snapshot.confusion.target, classCount, classIndex)
      .map((c) => `predicted as ${classNames[c.predicted]}: ${c.count} ${c.count === 1 ? "time" : "times"}`)
      .join("; ");
    return { classIndex, className, source, target, difference: target - source, confusions };
  });
}

const columns: Array<{ key: keyof ClassRow; label: string; numeric: boolean }> = [
  { key: "className", label: "class", numeric: false },
  { key: "source", label: "accuracy on source", numeric: true },
  { key: "target", label: "accuracy on target", numeric: true },
  { key: "difference", label: "target − source", numeric: true },
  { key: "confusions", label: "most frequent confusions (target)", numeric: false },
];

const percent = (value: number) => (Number.isNaN(value) ? "–" : `${(value * 100).toFixed(1)}%`);

/** Renders a table sortable by clicking a column header; a second click reverses the order. */
export function classTableView(snapshot: Snapshot, classNames: readonly string[]): HTMLElement {
  const data = classRows(snapshot, classNames);
  const table = document.createElement("table");
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

  for (const column of columns) {
    const th = document.createElement("th");
    th.textContent = column.label;
    th.style.cursor = "pointer";
    th.title = "Sort by this column";
    th.addEventListener("click", () => {
      descending = sortKey === column.key ? !descending : column.numeric;
      sortKey = column.key === "className" ? "classIndex" : column.key;
      render();
    });
    head.appendChild(th);
  }
  render();
  return table;
}

function signedPercent(value: number): string {
  if (Number.isNaN(value)) return "–";
  const text = `${(value * 100).toFixed(1)} pp`;
  return value > 0 ? `+${text}` : text;
}
