import type { Flips } from "../analysis/structureLevel.ts";
import { thumbnail } from "./selectionSummary.ts";

const imagePixels = 28 * 28;

interface ProbeImages {
  images: Uint8Array;
  labels: Uint8Array;
  classNames: readonly string[];
}

function tile(probe: ProbeImages, row: number, caption: string, selected: boolean): HTMLElement {
  const figure = document.createElement("figure");
  figure.dataset.row = String(row);
  if (selected) figure.setAttribute("data-selected", "");
  Object.assign(figure.style, { display: "inline-block", margin: "2px", textAlign: "center", outline: selected ? "2px solid #e8590c" : "none" });
  const label = document.createElement("figcaption");
  label.textContent = caption;
  figure.append(thumbnail(probe.images.subarray(row * imagePixels, (row + 1) * imagePixels)), label);
  return figure;
}

/**
 * Lists the probe images that flipped between two epochs, correct-to-wrong and
 * wrong-to-correct, with thumbnails. `classFilter` keeps one true class. Rows in `highlight`,
 * such as a projection selection, are outlined.
 */
export function flipsView(
  flips: Flips,
  probe: ProbeImages & { predictions: [Uint8Array, Uint8Array] },
  options: { epochs: [number, number]; classFilter?: number | null; highlight?: ArrayLike<number> },
): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "flips");
  const marked = new Set(Array.from(options.highlight ?? []));
  const keep = (row: number) => options.classFilter === undefined || options.classFilter === null || probe.labels[row] === options.classFilter;
  for (const [kind, rows] of [["correct-to-wrong", flips.correctToWrong], ["wrong-to-correct", flips.wrongToCorrect]] as const) {
    const section = document.createElement("div");
    section.dataset.flips = kind;
    const kept = rows.filter(keep);
    const heading = document.createElement("p");
    const filter = options.classFilter === undefined || options.classFilter === null ? "" : ` of class ${probe.classNames[options.classFilter]}`;
    heading.textContent = `${kind.replaceAll("-", " ")} from epoch ${options.epochs[0]} to ${options.epochs[1]}: ${kept.length} images${filter}.`;
    section.append(heading);
    for (const row of kept) {
      const [before, after] = probe.predictions.map((p) => probe.classNames[p[row]!] ?? String(p[row]));
      section.append(tile(probe, row, `${probe.classNames[probe.labels[row]!]}: ${before}→${after}`, marked.has(row)));
    }
    root.append(section);
  }
  return root;
}

/** Shows the probe images that activate a neuron most, outlining rows in `highlight`. */
export function topImagesView(probe: ProbeImages, rows: readonly number[], values: readonly number[], options: { layer: string; neuron: number; highlight?: ArrayLike<number> }): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "top-images");
  root.dataset.neuron = String(options.neuron);
  const marked = new Set(Array.from(options.highlight ?? []));
  const heading = document.createElement("p");
  heading.textContent = `Probe images that activate ${options.layer} neuron ${options.neuron} most.`;
  root.append(heading);
  rows.forEach((row, i) => root.append(tile(probe, row, values[i]!.toFixed(2), marked.has(row))));
  return root;
}

/** Creates a class picker whose `value` is "" for all classes or a class index as text. It fires `input` on change. */
export function classFilterInput(classNames: readonly string[]): HTMLSelectElement {
  const select = document.createElement("select");
  select.setAttribute("data-view", "class-filter");
  select.append(new Option("all classes", ""), ...classNames.map((name, index) => new Option(`class ${name}`, String(index))));
  return select;
}
