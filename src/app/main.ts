/// <reference types="vite/client" />
import { createHeadlessApi } from "./headless.ts";
import { NotebookPage } from "./notebookPage.ts";

/** The notebooks that ship with Carryover, by path, as text. */
const shipped = import.meta.glob("/notebooks/*.md", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** Reads parameter overrides from the address: `?p.epochs=3&p.seed=2`. */
function overridesFromUrl(params: URLSearchParams): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [key, value] of params) if (key.startsWith("p.")) overrides[key.slice(2)] = value;
  return overrides;
}

function showError(root: HTMLElement, message: string): void {
  const box = document.createElement("pre");
  box.className = "cell-error";
  box.textContent = message;
  root.replaceChildren(box);
}

const root = document.getElementById("notebook")!;
const params = new URLSearchParams(location.search);
const api = createHeadlessApi((text, fileName, overrides) => {
  const page = new NotebookPage(root, overrides);
  try {
    page.open(text, fileName);
  } catch (error) {
    showError(root, error instanceof Error ? error.message : String(error));
  }
  return page;
});
window.carryover = api;

if (!params.has("headless")) {
  const path = `/${params.get("notebook") ?? "notebooks/digits.md"}`.replace(/^\/+/, "/");
  const text = shipped[path];
  if (text === undefined) {
    showError(root, `notebook not found: ${path} (shipped notebooks: ${Object.keys(shipped).join(", ")}). Open one with ?notebook=notebooks/<name>.md`);
  } else {
    api.open(text, path.slice(1), overridesFromUrl(params));
  }
}
