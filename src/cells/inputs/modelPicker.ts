import type { ModelSource } from "../models/load.ts";
import { acceptDrops, UserInput } from "./userInput.ts";

/**
 * Builds a control for choosing a TensorFlow.js layers model: pick model.json and its
 * weight shards, drop them on the control, or enter a URL. `values()` yields the current
 * choice, starting with `url`, as a source for loadModel.
 */
export function modelPicker(options: { url: string }): HTMLElement & { input: UserInput<ModelSource>; values(): AsyncGenerator<ModelSource, void, undefined> } {
  const input = new UserInput<ModelSource>(options.url);
  const root = document.createElement("div");
  root.className = "picker";
  root.setAttribute("data-view", "model-picker");
  const files = document.createElement("input");
  files.type = "file";
  files.multiple = true;
  files.accept = ".json,.bin";
  files.setAttribute("aria-label", "model.json and weight files");
  const url = document.createElement("input");
  url.type = "url";
  url.value = options.url;
  url.size = 40;
  url.setAttribute("aria-label", "model.json URL");
  const load = document.createElement("button");
  load.textContent = "Load URL";
  const status = document.createElement("span");
  status.className = "picker-status";
  const describe = (source: ModelSource) =>
    typeof source === "string" || source instanceof URL ? `model: ${String(source)}` : `model: ${[...source].map((file) => file.name).join(", ")}`;
  status.textContent = describe(input.value);
  const choose = (source: ModelSource) => {
    status.textContent = describe(source);
    input.set(source);
  };
  files.addEventListener("change", () => {
    if (files.files && files.files.length > 0) choose([...files.files]);
  });
  load.addEventListener("click", () => choose(url.value));
  acceptDrops(root, (transfer) => {
    if (transfer.files.length > 0) choose([...transfer.files]);
  });
  root.append("Model files: ", files, " or URL: ", url, " ", load, " (or drop the files here) ", status);
  return Object.assign(root, { input, values: () => input.values() });
}
