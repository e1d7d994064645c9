import type * as tf from "@tensorflow/tfjs";
import { describeLayers } from "../models/layers.ts";

export interface ModelChoices {
  frozenLayers?: readonly string[];
  probeLayer?: string;
  /** Last layer kept when a new head replaces the output layer. */
  cutAfter?: string;
}

/**
 * Draws a table of the model's layers: type, output shape, parameters, and the notebook's
 * choices per layer (frozen, probed, where the new head is attached); layers worth probing
 * are marked so the reader knows which names probeLayer accepts.
 */
export function modelSummaryView(model: tf.LayersModel, choices: ModelChoices = {}): HTMLElement {
  const rows = describeLayers(model);
  const frozen = new Set(choices.frozenLayers ?? []);
  const root = document.createElement("div");
  root.setAttribute("data-view", "model-summary");
  const caption = document.createElement("p");
  const total = rows.reduce((sum, row) => sum + row.parameters, 0);
  caption.textContent = `${model.name}: ${rows.length} layers, ${total.toLocaleString("en")} parameters, input [${model.inputs[0]!.shape.join(", ")}], output [${model.outputs[0]!.shape.join(", ")}].`;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const title of ["#", "layer", "type", "output shape", "parameters", "frozen", "probe"]) {
    const cell = document.createElement("th");
    cell.textContent = title;
    head.append(cell);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    tr.setAttribute("data-layer", row.name);
    const probeText = row.name === choices.probeLayer ? "probed" : row.probe ? "can probe" : "";
    const values = [String(row.index), row.name, row.type, row.outputShape, row.parameters.toLocaleString("en"), frozen.has(row.name) ? "frozen" : "", probeText];
    for (const value of values) tr.insertCell().textContent = value;
    if (row.name === choices.cutAfter) {
      const cut = body.insertRow();
      cut.className = "notice";
      const cell = cut.insertCell();
      cell.colSpan = values.length;
      cell.textContent = `cut here: the layers below are replaced by a new dense softmax head`;
    }
  }
  root.append(caption, table);
  return root;
}
