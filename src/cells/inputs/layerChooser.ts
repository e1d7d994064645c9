import type * as tf from "@tensorflow/tfjs";
import { describeLayers } from "../models/layers.ts";
import { UserInput } from "./userInput.ts";

/** Numbers each chooser's radio groups, so that two choosers on one page stay independent. */
let chooserCount = 0;

/** The layer choices of a fine-tuning run. */
export interface LayerChoice {
  frozenLayers: string[];
  /** Layer whose activations are recorded; "" lets chooseProbeLayer pick the last layer worth probing. */
  probeLayer: string;
  /** Last layer kept before a new head; "" keeps the model's own output layer. */
  cutAfter: string;
}

/**
 * Builds a table of the model's layers with a checkbox per layer to freeze it, a choice of the
 * layer to probe among those worth probing, and a choice of where to cut for a new head.
 * Apply makes `values()` yield the new choice, starting with `initial`.
 */
export function layerChooser(
  model: tf.LayersModel,
  initial: Partial<LayerChoice> = {},
): HTMLElement & { input: UserInput<LayerChoice>; values(): AsyncGenerator<LayerChoice, void, undefined> } {
  const start: LayerChoice = { frozenLayers: [...(initial.frozenLayers ?? [])], probeLayer: initial.probeLayer ?? "", cutAfter: initial.cutAfter ?? "" };
  const input = new UserInput<LayerChoice>(start);
  const rows = describeLayers(model);
  const root = document.createElement("div");
  root.setAttribute("data-view", "layer-chooser");
  const caption = document.createElement("p");
  const total = rows.reduce((sum, row) => sum + row.parameters, 0);
  caption.textContent = `${model.name}: ${rows.length} layers, ${total.toLocaleString("en")} parameters, input [${model.inputs[0]!.shape.join(", ")}], output [${model.outputs[0]!.shape.join(", ")}].`;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const title of ["#", "layer", "type", "output shape", "parameters", "freeze", "probe", "cut after"]) {
    const cell = document.createElement("th");
    cell.textContent = title;
    head.append(cell);
  }
  const body = table.createTBody();
  chooserCount += 1;
  const group = `layers-${chooserCount}`;
  const control = (type: "checkbox" | "radio", name: string, value: string, checked: boolean, label: string) => {
    const element = document.createElement("input");
    element.type = type;
    element.name = name;
    element.value = value;
    element.checked = checked;
    element.setAttribute("aria-label", label);
    return element;
  };
  // A "no cut" row first, so the model's own head can be chosen again.
  const keep = body.insertRow();
  keep.insertCell().colSpan = 7;
  keep.cells[0]!.textContent = "keep the model's own output layer";
  keep.insertCell().append(control("radio", `${group}-cut`, "", start.cutAfter === "", "keep the output layer"));
  for (const row of rows) {
    const tr = body.insertRow();
    tr.setAttribute("data-layer", row.name);
    for (const value of [String(row.index), row.name, row.type, row.outputShape, row.parameters.toLocaleString("en")]) tr.insertCell().textContent = value;
    const freeze = tr.insertCell();
    if (row.parameters > 0) freeze.append(control("checkbox", `${group}-freeze`, row.name, start.frozenLayers.includes(row.name), `freeze ${row.name}`));
    const probe = tr.insertCell();
    if (row.probe) probe.append(control("radio", `${group}-probe`, row.name, start.probeLayer === row.name, `probe ${row.name}`));
    tr.insertCell().append(control("radio", `${group}-cut`, row.name, start.cutAfter === row.name, `cut after ${row.name}`));
  }
  const apply = document.createElement("button");
  apply.textContent = "Apply";
  const status = document.createElement("span");
  const describe = (choice: LayerChoice) =>
    `frozen: ${choice.frozenLayers.join(", ") || "none"} · probe: ${choice.probeLayer || "last layer worth probing"} · ${choice.cutAfter ? `new head after ${choice.cutAfter}` : "own output layer"}`;
  status.textContent = describe(start);
  apply.addEventListener("click", () => {
    const checked = (name: string) => [...root.querySelectorAll<HTMLInputElement>(`input[name="${group}-${name}"]:checked`)].map((element) => element.value);
    const choice: LayerChoice = { frozenLayers: checked("freeze"), probeLayer: checked("probe")[0] ?? "", cutAfter: checked("cut")[0] ?? "" };
    status.textContent = describe(choice);
    input.set(choice);
  });
  root.append(caption, table, apply, " ", status);
  return Object.assign(root, { input, values: () => input.values() });
}
