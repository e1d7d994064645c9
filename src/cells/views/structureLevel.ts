import * as Plot from "@observablehq/plot";
import type { LayerCorrelation, LayerEpoch, LayerFate } from "../analysis/structureLevel.ts";
import { matchThreshold } from "../analysis/structureLevel.ts";
import { correlationRestView } from "./correlationRest.ts";

/**
 * Draws a layer's source × target correlation matrix over its important neurons as cells,
 * summarises the other neurons as histograms, and lists each target neuron's closest source
 * neurons, flagging those with no close match. `neuron`, when given, is outlined in the matrix and its row marked in the list.
 */
export function correlationView(correlation: LayerCorrelation, neuron?: number): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "correlation");
  const cells = correlation.important.flatMap((source) =>
    correlation.important.map((target) => ({ source, target, r: correlation.correlations[source * correlation.targetColumns + target]! })),
  );
  const figure = Plot.plot({
    width: 360,
    height: 340,
    x: { label: "target neuron", type: "band" },
    y: { label: "source neuron", type: "band" },
    color: { type: "diverging", domain: [-1, 1], scheme: "RdBu", legend: true, label: "Pearson r" },
    marks: [
      Plot.cell(cells, { x: "target", y: "source", fill: "r", tip: true }),
      Plot.cell(
        cells.filter((cell) => cell.source === neuron || cell.target === neuron),
        { x: "target", y: "source", stroke: "black", strokeWidth: 1.5, fill: "none" },
      ),
    ],
  });
  figure.setAttribute("data-role", "matrix");

  const unmatched = correlation.matches.filter((match) => !match.matched).length;
  const caption = document.createElement("p");
  const rest = correlation.important.length < Math.max(correlation.sourceColumns, correlation.targetColumns) ? ", the rest as histograms" : "";
  caption.textContent = `${correlation.layer}: ${correlation.important.length} most varying neurons as cells${rest}. ${unmatched} of ${correlation.targetColumns} target neurons have no source neuron with |r| ≥ ${matchThreshold}.`;
  const table = document.createElement("table");
  table.createTHead().insertRow().append(...["target neuron", "closest source neurons (r)", "match"].map((text) => Object.assign(document.createElement("th"), { textContent: text })));
  const body = table.createTBody();
  for (const match of correlation.matches.filter((m) => correlation.important.includes(m.target) || m.target === neuron)) {
    const row = body.insertRow();
    row.dataset.neuron = String(match.target);
    if (match.target === neuron) row.setAttribute("aria-selected", "true");
    row.insertCell().textContent = String(match.target);
    row.insertCell().textContent = match.closest.map(({ source, r }) => `${source} (${r.toFixed(2)})`).join(", ");
    const flag = row.insertCell();
    flag.textContent = match.matched ? "matched" : "no close match";
    if (!match.matched) flag.className = "notice";
  }
  root.append(caption, figure, correlationRestView(correlation), table);
  return root;
}

/** Draws per-layer proxy A-distance, linear CKA and relative weight change over the epochs. */
export function layersOverEpochsView(rows: readonly LayerEpoch[]): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "layers-over-epochs");
  const chart = (measure: "proxyADistance" | "cka" | "weightChange", label: string) => {
    const data = rows.filter((row) => row[measure] !== null && Number.isFinite(row[measure]));
    const figure = Plot.plot({
      width: 320,
      height: 220,
      x: { label: "epoch", tickFormat: "d" },
      y: { label, grid: true },
      color: { legend: measure === "proxyADistance" },
      marks: [Plot.line(data, { x: "epoch", y: measure, stroke: "layer", z: "layer" }), Plot.dot(data, { x: "epoch", y: measure, fill: "layer", r: 2.5, tip: true })],
    });
    figure.setAttribute("data-measure", measure);
    return figure;
  };
  root.append(chart("proxyADistance", "proxy A-distance"), chart("cka", "linear CKA to source"), chart("weightChange", "relative weight change"));
  return root;
}

/** Lists each layer's fate at the last epoch: frozen, barely moved or rewritten. */
export function layerFatesView(fates: readonly { layer: string; fate: LayerFate; weightChange: number | null; cka: number }[]): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "layer-fates");
  const colours: Record<LayerFate, string> = { frozen: "#9aa0a6", "barely moved": "#6cc5b0", rewritten: "#ff725c" };
  for (const { layer, fate, weightChange, cka } of fates) {
    const chip = document.createElement("span");
    chip.dataset.layer = layer;
    chip.dataset.fate = fate;
    Object.assign(chip.style, { display: "inline-block", padding: "4px 8px", margin: "2px", background: colours[fate], borderRadius: "4px" });
    chip.textContent = `${layer}: ${fate} (weights ${weightChange === null ? "none" : `${(100 * weightChange).toFixed(1)}%`}, CKA ${cka.toFixed(2)})`;
    root.append(chip);
  }
  return root;
}
