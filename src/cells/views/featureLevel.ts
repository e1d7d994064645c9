import * as Plot from "@observablehq/plot";
import type { FeatureLevel } from "../analysis/featureLevel.ts";
import type { AnalysisKernels } from "../analysis/analysisKernels.ts";

const svgNamespace = "http://www.w3.org/2000/svg";

/**
 * Shows where the level analyses computed, the fallback notice when it was not WebGPU, and the
 * kernels' GPU buffers still alive (0 once every analysis has settled).
 */
export function kernelNotice(kernels: Pick<AnalysisKernels, "kind" | "notice" | "liveBuffers">): HTMLElement {
  const line = document.createElement("p");
  line.setAttribute("data-kernels", kernels.kind);
  line.dataset.liveBuffers = String(kernels.liveBuffers());
  if (kernels.notice) line.className = "notice";
  line.textContent = kernels.notice ?? "Computed with the WGSL kernels on the notebook's WebGPU device.";
  return line;
}

/**
 * Lists a layer's neurons ranked by domain separation, with mirrored histograms of the top
 * ones (source above the axis, target below). Clicking a row selects that neuron: the element's
 * `value` becomes its index and an `input` event fires, so `inputValues(view)` follows it.
 */
export function neuronRankingView(feature: FeatureLevel, options: { domainNames: readonly string[]; selected?: number }): HTMLElement & { value: number } {
  const root = document.createElement("div") as HTMLDivElement & { value: number };
  root.setAttribute("data-view", "neuron-ranking");
  root.value = options.selected ?? feature.top[0]!;
  const caption = document.createElement("p");
  caption.textContent = `${feature.layer}: the ${feature.top.length} neurons a linear domain classifier relies on most (of ${feature.order.length}). Bars above the axis: ${options.domainNames[0]}; below: ${options.domainNames[1]}. Click a row to select its neuron.`;
  const table = document.createElement("table");
  table.createTHead().insertRow().append(...["rank", "neuron", "weight", "histogram"].map((text) => Object.assign(document.createElement("th"), { textContent: text })));
  const body = table.createTBody();
  feature.histograms.forEach((histogram, rank) => {
    const row = body.insertRow();
    row.dataset.neuron = String(histogram.neuron);
    row.style.cursor = "pointer";
    if (histogram.neuron === root.value) row.setAttribute("aria-selected", "true");
    row.insertCell().textContent = String(rank + 1);
    row.insertCell().textContent = String(histogram.neuron);
    row.insertCell().textContent = feature.weights[histogram.neuron]!.toFixed(2);
    row.insertCell().append(mirroredHistogram(histogram, histogram.neuron === root.value));
    row.addEventListener("click", () => {
      root.value = histogram.neuron;
      for (const other of body.rows) other.toggleAttribute("aria-selected", other === row);
      for (const other of body.rows) other.querySelector("svg")?.setAttribute("data-selected", String(other === row));
      root.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
  root.append(caption, table);
  return root;
}

function mirroredHistogram(histogram: FeatureLevel["histograms"][number], selected: boolean): SVGSVGElement {
  const width = 160;
  const half = 24;
  const svg = document.createElementNS(svgNamespace, "svg");
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(2 * half));
  svg.setAttribute("data-selected", String(selected));
  const bins = histogram.source.length;
  const peak = Math.max(1, ...histogram.source, ...histogram.target);
  const barWidth = width / bins;
  const bar = (count: number, bin: number, up: boolean, colour: string) => {
    const height = (count / peak) * (half - 1);
    const rect = document.createElementNS(svgNamespace, "rect");
    rect.setAttribute("x", String(bin * barWidth));
    rect.setAttribute("y", String(up ? half - height : half));
    rect.setAttribute("width", String(Math.max(1, barWidth - 1)));
    rect.setAttribute("height", String(height));
    rect.setAttribute("fill", colour);
    rect.setAttribute("data-domain", up ? "source" : "target");
    svg.append(rect);
  };
  histogram.source.forEach((count, bin) => bar(count, bin, true, "#4269d0"));
  histogram.target.forEach((count, bin) => bar(count, bin, false, "#ff725c"));
  const title = document.createElementNS(svgNamespace, "title");
  title.textContent = `neuron ${histogram.neuron}, activations ${histogram.min.toFixed(2)} to ${histogram.max.toFixed(2)}`;
  svg.append(title);
  return svg;
}

/**
 * Draws the domain-discrimination biplot: every probe image on the classifier normal (x) and
 * the orthogonalised first principal component (y) of the top neurons, with each neuron's
 * loadings as a line from the origin.
 */
export function domainBiplotView(feature: FeatureLevel, domainIndex: Uint8Array, domainNames: readonly string[], highlight?: ArrayLike<number>): HTMLElement {
  const marked = new Set(Array.from(highlight ?? []));
  const points = feature.rows.map((row, i) => ({
    x: feature.biplot[2 * i]!,
    y: feature.biplot[2 * i + 1]!,
    domain: domainNames[domainIndex[row]!] ?? String(domainIndex[row]),
    selected: marked.has(row),
  }));
  const reach = Math.max(1e-9, ...points.map((p) => Math.hypot(p.x, p.y)));
  const arrows = feature.loadings.map((loading) => ({ ...loading, x: loading.x * reach * 0.8, y: loading.y * reach * 0.8 }));
  const figure = Plot.plot({
    width: 420,
    height: 340,
    x: { label: "domain classifier normal" },
    y: { label: "first principal component, orthogonalised" },
    color: { legend: true, domain: [...domainNames] },
    marks: [
      Plot.dot(points, { x: "x", y: "y", stroke: "domain", r: 2.5 }),
      Plot.dot(points.filter((p) => p.selected), { x: "x", y: "y", stroke: "black", r: 5 }),
      Plot.link(arrows, { x1: 0, y1: 0, x2: "x", y2: "y", stroke: "#555", markerEnd: "arrow" }),
      Plot.text(arrows, { x: "x", y: "y", text: (d: { neuron: number }) => String(d.neuron), dy: -6 }),
    ],
  });
  figure.setAttribute("data-view", "domain-biplot");
  return figure as HTMLElement;
}
