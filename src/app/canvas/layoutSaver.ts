import type { CellLayout } from "../../runtime/cell-layout.ts";
import type { NotebookView } from "../../runtime/notebook-view.ts";

/** Address on the dev server that rewrites one cell's layout in its notebook file (see src/cli/notebookLayoutPlugin.ts). */
export const LAYOUT_ENDPOINT = "/__carryover/layout";

/** Sends one cell's new place to the dev server, which writes it into the notebook file. Raises an Error with the server's reason when it refuses. */
export async function postLayout(path: string, cell: string, source: string, layout: CellLayout): Promise<void> {
  await post(path, { path, cell, source, layout }, "layout");
}

/** Sends the notebook's chosen view to the dev server, which writes it into the file's front matter. */
export async function postView(path: string, view: NotebookView): Promise<void> {
  await post(path, { path, view }, "view");
}

async function post(path: string, change: object, subject: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(LAYOUT_ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(change),
    });
  } catch (error) {
    throw new Error(`saving the ${subject} of ${path} failed: no response from the server (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (response.ok) return;
  const body = (await response.json().catch(() => undefined)) as { error?: string } | undefined;
  const reason =
    response.status === 404 && !body?.error
      ? `this server cannot write notebooks (start the dev server with \`npm start\` to keep ${subject} changes)`
      : body?.error ?? `HTTP ${response.status}`;
  throw new Error(`saving the ${subject} of ${path} failed: ${reason}`);
}
