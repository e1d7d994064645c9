/// <reference types="vite/client" />
import { createHeadlessApi } from "./headless.ts";
import { CacheStore, Warnings } from "../runtime/index.ts";
import { outputCodecs } from "./cacheAdapters.ts";
import { NotebookPage } from "./notebookPage.ts";
import { installSessionToolbar } from "./sessionControls.ts";

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
let store: Promise<CacheStore | undefined> | undefined;
const cacheWarnings = new Warnings();

/** Opens the cache once per page; `?cache=off` runs every cell without it. */
function openStore(): Promise<CacheStore | undefined> {
  store ??= params.get("cache") === "off"
    ? Promise.resolve(undefined)
    : CacheStore.open({ codecs: outputCodecs, warnings: cacheWarnings }).catch((error: unknown) => {
        // No silent fallback: the page states that results will not be kept.
        const notice = document.createElement("div");
        notice.className = "notice";
        notice.textContent = `The result cache is unavailable, so results will be recomputed on every visit: ${error instanceof Error ? error.message : String(error)}`;
        document.body.prepend(notice);
        console.warn("carryover: cache unavailable", error);
        return undefined;
      });
  return store;
}

const api = createHeadlessApi(async (text, fileName, overrides) => {
  const cache = await openStore();
  try {
    const page = new NotebookPage(root, overrides, text, fileName, cache);
    // The page opens in the view the notebook file saved; `?view=document` or `?view=canvas` overrides it.
    const view = params.get("view");
    if (view === "canvas" || view === "document") page.setView(view);
    return page;
  } catch (error) {
    showError(root, error instanceof Error ? error.message : String(error));
    throw error;
  }
});
window.carryover = Object.assign(api, { cacheWarnings: () => cacheWarnings.total });
installSessionToolbar(root, api);

if (!params.has("headless")) {
  const path = `/${params.get("notebook") ?? "notebooks/digits.md"}`.replace(/^\/+/, "/");
  const text = shipped[path];
  if (text === undefined) {
    showError(root, `notebook not found: ${path} (shipped notebooks: ${Object.keys(shipped).join(", ")}). Open one with ?notebook=notebooks/<name>.md`);
  } else {
    void api.open(text, path.slice(1), overridesFromUrl(params));
  }
}
