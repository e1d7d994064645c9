import type { BackendChoice } from "../../gpu/backend.ts";

/** Says which backend runs the notebook and, once, why any preferred backend was not used. */
export function backendView(choice: BackendChoice): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "backend");
  root.dataset.backend = choice.name;
  const adapter = choice.adapter
    ? ` (${[choice.adapter.vendor, choice.adapter.architecture].filter(Boolean).join(" ")}${choice.adapter.isFallbackAdapter ? ", a software adapter: correct but slow" : ""})`
    : "";
  const line = document.createElement("div");
  line.textContent = `TensorFlow.js backend: ${choice.name}${adapter}.`;
  root.append(line);
  if (choice.notices.length > 0) {
    const notice = document.createElement("div");
    notice.className = "notice";
    notice.textContent = `${choice.notices.join(" ")} Falling back to ${choice.name}; results record the backend that produced them.`;
    root.append(notice);
  }
  return root;
}
