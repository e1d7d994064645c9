import * as Plot from "@observablehq/plot";
import type { WeightGrid, WeightGridPair } from "../analysis/weightGrid.ts";

/** Options of a weight grid view: the model its weights come from and the colour range it shares with the grid beside it. */
export interface WeightGridViewOptions {
  /** Default "target". */
  model?: "target" | "source";
  /** Largest |weight| the colour scale reaches. Default: the grid's own largest |weight|. */
  reach?: number;
}

/**
 * Draws the weights between important neurons of consecutive layers as a grid of cells, and
 * the pair's other channel-to-unit weights as a histogram and a box plot beside it. When every
 * neuron is important, a line of text states that no weights are left outside the grid.
 */
export function weightGridView(grid: WeightGrid, options: WeightGridViewOptions = {}): HTMLElement {
  const model = options.model ?? "target";
  const root = document.createElement("div");
  root.setAttribute("data-view", "weight-grid");
  root.dataset.layers = `${grid.from}-${grid.to}`;
  root.dataset.model = model;
  const reach = options.reach ?? largestMagnitude(grid);

  const caption = document.createElement("p");
  caption.textContent =
    `${model} model, ${grid.from} → ${grid.to}: ${grid.values.length} weights in the grid ` +
    `(${grid.rows.length} × ${grid.columns.length} important neurons), ${grid.rest.length} in the rest.`;

  const cells = grid.rows.flatMap((row, i) => grid.columns.map((column, j) => ({ row, column, weight: grid.values[i * grid.columns.length + j]! })));
  const matrix = Plot.plot({
    width: 320,
    height: 280,
    x: { label: `${grid.to} neuron`, type: "band" },
    y: { label: `${grid.from} neuron`, type: "band" },
    color: { type: "diverging", domain: [-reach, reach], scheme: "PuOr", legend: true, label: "weight" },
    marks: [Plot.cell(cells, { x: "column", y: "row", fill: "weight", tip: true })],
  });
  matrix.setAttribute("data-role", "grid");
  root.append(caption, matrix);

  if (grid.rest.length === 0) {
    const empty = document.createElement("p");
    empty.setAttribute("data-role", "rest-empty");
    empty.textContent = `Every neuron of ${grid.from} and ${grid.to} is in the grid, so no weights are left to summarise.`;
    root.append(empty);
    return root;
  }
  const rest = Array.from(grid.rest);
  const histogram = Plot.plot({
    width: 260,
    height: 160,
    x: { label: `other ${grid.from} → ${grid.to} weights` },
    y: { grid: true },
    marks: [Plot.rectY(rest, { ...Plot.binX({ y: "count" }, { x: Plot.identity }), fill: "#bbb" }), Plot.ruleY([0])],
  });
  histogram.setAttribute("data-role", "histogram");
  const box = Plot.plot({ width: 260, height: 60, x: { label: null }, marks: [Plot.boxX(rest, { x: Plot.identity })] });
  box.setAttribute("data-role", "box");
  root.append(histogram, box);
  return root;
}

/**
 * Draws a pair's target-model grid and source-model grid side by side on one colour scale, so
 * equal weights get equal colours. A model that lacks the pair gets a line of text in place of its grid.
 */
export function weightGridPairView(pair: WeightGridPair): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "weight-grid-pair");
  root.dataset.layers = `${pair.from}-${pair.to}`;
  Object.assign(root.style, { display: "flex", flexWrap: "wrap", gap: "16px", alignItems: "flex-start" });
  const reach = Math.max(1e-9, ...[pair.target, pair.source].map((grid) => (grid === undefined ? 0 : largestMagnitude(grid))));
  for (const model of ["target", "source"] as const) {
    const grid = pair[model];
    if (grid !== undefined) {
      root.append(weightGridView(grid, { model, reach }));
      continue;
    }
    const missing = document.createElement("p");
    missing.setAttribute("data-role", "model-missing");
    missing.dataset.model = model;
    missing.textContent = `The ${model} model has no ${pair.from} → ${pair.to} weights, because one of the two layers is not in it.`;
    root.append(missing);
  }
  return root;
}

function largestMagnitude(grid: WeightGrid): number {
  let largest = 1e-9;
  for (const weight of grid.all) largest = Math.max(largest, Math.abs(weight));
  return largest;
}
