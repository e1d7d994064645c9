import * as Plot from "@observablehq/plot";
import { correlationRest } from "../analysis/correlationRest.ts";
import type { LayerCorrelation } from "../analysis/structureLevel.ts";
import { matchThreshold } from "../analysis/structureLevel.ts";

/**
 * Summarises the neurons the correlation cells leave out as two histograms: each remaining
 * target neuron's best |r| to any source neuron, with the match threshold marked, and every
 * correlation outside the cells. A layer whose neurons are all cells gets a line of text.
 */
export function correlationRestView(correlation: LayerCorrelation): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-role", "rest");
  const rest = correlationRest(correlation);
  if (rest.correlations.length === 0) {
    root.append(note("rest-empty", `Every neuron of ${correlation.layer} is drawn as a cell, so there is no rest to summarise.`));
    return root;
  }

  const caption = document.createElement("p");
  caption.textContent =
    `The other ${rest.targets.length} target neurons: ${rest.unmatched} have no source neuron with |r| ≥ ${matchThreshold}. ` +
    `${rest.correlations.length} correlations lie outside the cells.`;
  root.append(caption);

  if (rest.targets.length === 0) {
    root.append(note("rest-best", `Every target neuron of ${correlation.layer} is drawn as a cell.`));
  } else {
    const best = Plot.plot({
      width: 300,
      height: 160,
      x: { label: "best |r| to a source neuron", domain: [0, 1] },
      y: { label: "target neurons", grid: true },
      marks: [
        Plot.rectY(clamped(rest.bestR), { ...Plot.binX({ y: "count" }, { x: Plot.identity, domain: [0, 1], thresholds: 20 }), fill: "#8da0cb" }),
        Plot.ruleX([matchThreshold], { stroke: "#d62728", strokeDasharray: "4,3", ariaLabel: () => "match threshold" }),
        Plot.text([matchThreshold], { x: Plot.identity, frameAnchor: "top", dx: 4, textAnchor: "start", text: () => "match threshold", fill: "#d62728" }),
        Plot.ruleY([0]),
      ],
    });
    best.setAttribute("data-role", "rest-best");
    root.append(best);
  }

  const all = Plot.plot({
    width: 300,
    height: 160,
    x: { label: "Pearson r outside the cells", domain: [-1, 1] },
    y: { label: "pairs", grid: true },
    marks: [Plot.rectY(clamped(rest.correlations), { ...Plot.binX({ y: "count" }, { x: Plot.identity, domain: [-1, 1], thresholds: 20 }), fill: "#bbb" }), Plot.ruleY([0])],
  });
  all.setAttribute("data-role", "rest-correlations");
  root.append(all);
  return root;
}

/** Values clamped to [-1, 1], because float rounding can put |r| a hair above 1 and the bins would drop it. */
function clamped(values: Float32Array): number[] {
  return Array.from(values, (value) => Math.max(-1, Math.min(1, value)));
}

function note(role: string, text: string): HTMLElement {
  const paragraph = document.createElement("p");
  paragraph.setAttribute("data-role", role);
  paragraph.textContent = text;
  return paragraph;
}
