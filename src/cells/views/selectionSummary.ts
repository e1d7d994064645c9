import { InputError } from "../errors.ts";
import type { ProjectionSelection, ProjectionViewInput } from "./projection.ts";

/** The projection's per-instance arrays that the summary reads (see ProjectionViewInput). */
export type SelectionSummaryInput = Pick<ProjectionViewInput, "predictions" | "labels" | "domain" | "images" | "classNames" | "domainNames">;

/** Rows listed in full; the counts above the table cover every selected instance. */
const maxRows = 12;
const imageSide = 28;

/**
 * Summarises a projection's selection: how many instances per domain, how many the model gets
 * wrong at the epoch on show and at the last epoch, and a table of the first instances with
 * their image and prediction at every epoch. Throws InputError on an index out of range.
 */
export function selectionSummaryView(selection: ProjectionSelection | undefined, input: SelectionSummaryInput): HTMLElement {
  const root = document.createElement("div");
  root.dataset.view = "selection-summary";
  const indices = selection?.indices ?? new Uint32Array(0);
  const n = input.labels.length;
  const bad = indices.find((i) => i >= n);
  if (bad !== undefined) throw new InputError(`invalid selected index: ${bad} (expected 0 to ${n - 1}, a row of the probe set)`, { field: "selection", value: String(bad) });
  if (indices.length === 0) {
    root.textContent = "Nothing selected. Use the lasso, the rectangle or a click on the projection above.";
    return root;
  }

  const epoch = Math.min(selection?.epoch ?? input.predictions.length - 1, input.predictions.length - 1);
  const last = input.predictions.length - 1;
  const perDomain = [0, 0];
  let wrongNow = 0;
  let wrongLast = 0;
  let flipped = 0;
  for (const i of indices) {
    perDomain[input.domain[i]!]!++;
    if (input.predictions[epoch]![i] !== input.labels[i]) wrongNow++;
    if (input.predictions[last]![i] !== input.labels[i]) wrongLast++;
    if (input.predictions[0]![i] !== input.predictions[last]![i]) flipped++;
  }
  const summary = document.createElement("p");
  summary.dataset.role = "summary";
  summary.textContent =
    `${indices.length} selected: ${perDomain[0]} ${input.domainNames[0]}, ${perDomain[1]} ${input.domainNames[1]}. ` +
    `Wrong at epoch ${epoch}: ${wrongNow}; at the last epoch: ${wrongLast}. Prediction changed since epoch 0: ${flipped}.`;

  const table = document.createElement("table");
  table.style.fontSize = "0.8rem";
  const head = table.createTHead().insertRow();
  for (const title of ["image", "instance", "domain", "true", "predicted per epoch"]) {
    const cell = document.createElement("th");
    cell.textContent = title;
    cell.style.textAlign = "left";
    head.append(cell);
  }
  const body = table.createTBody();
  for (const i of indices.subarray(0, maxRows)) {
    const rowElement = body.insertRow();
    rowElement.insertCell().append(thumbnail(input.images.subarray(i * imageSide * imageSide, (i + 1) * imageSide * imageSide)));
    rowElement.insertCell().textContent = String(i);
    rowElement.insertCell().textContent = input.domainNames[input.domain[i]!] ?? String(input.domain[i]);
    rowElement.insertCell().textContent = input.classNames[input.labels[i]!] ?? String(input.labels[i]);
    rowElement.insertCell().textContent = input.predictions.map((predictions) => input.classNames[predictions[i]!] ?? String(predictions[i])).join(" → ");
  }
  root.append(summary, table);
  if (indices.length > maxRows) {
    const more = document.createElement("p");
    more.textContent = `and ${indices.length - maxRows} more.`;
    root.append(more);
  }
  return root;
}

export function thumbnail(pixels: Uint8Array): HTMLCanvasElement {
  const canvas = Object.assign(document.createElement("canvas"), { width: imageSide, height: imageSide });
  Object.assign(canvas.style, { width: "28px", height: "28px", imageRendering: "pixelated" });
  const context = canvas.getContext("2d");
  if (context) {
    const data = context.createImageData(imageSide, imageSide);
    for (let p = 0; p < pixels.length; p++) {
      // Ink is drawn dark on white, as on paper.
      const value = 255 - pixels[p]!;
      data.data.set([value, value, value, 255], p * 4);
    }
    context.putImageData(data, 0, 0);
  }
  return canvas;
}
