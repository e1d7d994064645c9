/**
 * The replay page: the published site that `carryover build` writes, and a page for opening
 * saved sessions. It bundles no notebook runtime and no TensorFlow.js, so nothing here can
 * run a session's code.
 */
import type { RunSummary } from "../cells/report.ts";
import { replayView, type ReplayElement } from "./replayView.ts";
import { downloadBytes, encodeSession, openSession, sessionFileName, type OpenedSession } from "./session.ts";
import { sessionOpener } from "./sessionControls.ts";

/** Functions of a replay page that the browser tests and benchmarks call. */
export interface ReplayApi {
  fileName(): string | undefined;
  summary(): RunSummary | undefined;
  showSnapshot(index: number): void;
  /** Resolves once the service worker controls the page, or at once where there is none. */
  offlineReady(): Promise<boolean>;
}

declare global {
  interface Window {
    carryoverReplay?: ReplayApi;
  }
}

const root = document.getElementById("replay")!;
const content = document.createElement("div");
let current: ReplayElement | undefined;
let currentName: string | undefined;

function show(session: OpenedSession): void {
  current?.dispose();
  current = replayView(session, {
    save: () => downloadBytes(encodeSession(session.contents, session.fileName), sessionFileName(session.contents.notebook.fileName)),
  });
  currentName = session.fileName;
  content.replaceChildren(current);
  root.dataset.ready = "true";
}

const opener = sessionOpener(show);
root.replaceChildren(opener, content);

const offline = registerOfflineCache();
window.carryoverReplay = {
  fileName: () => currentName,
  summary: () => current?.summary,
  showSnapshot: (index) => current?.view.showSnapshot(index),
  offlineReady: () => offline,
};

/** The session a published site was built with, named by the page's `carryover-session` meta element. */
const baked = document.querySelector<HTMLMetaElement>("meta[name=carryover-session]")?.content;
if (baked) {
  fetch(baked)
    .then(async (response) => {
      if (!response.ok) throw new Error(`session not found: ${baked} (HTTP ${response.status}). Serve the whole folder that carryover build wrote.`);
      show(openSession(new Uint8Array(await response.arrayBuffer()), baked.split("/").pop()!));
    })
    .catch((error: unknown) => {
      opener.showError(error);
      root.dataset.ready = "error";
    });
} else {
  root.dataset.ready = "empty";
}

/**
 * Registers the site's service worker, which keeps every file of the site for offline
 * visits. Only built sites have one (their page carries the `carryover-offline` meta element).
 */
async function registerOfflineCache(): Promise<boolean> {
  const script = document.querySelector<HTMLMetaElement>("meta[name=carryover-offline]")?.content;
  if (!script || !("serviceWorker" in navigator)) return false;
  try {
    await navigator.serviceWorker.register(script);
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    return true;
  } catch (error) {
    console.warn("carryover: offline cache unavailable; the site needs the network on every visit", error);
    return false;
  }
}
