import type { CellLayout } from "../../runtime/index.ts";

/** Address on the dev server that rewrites one cell's layout in its notebook file (see src/cli/notebookLayoutPlugin.ts). */
export const LAYOUT_ENDPOINT = "/__carryover/layout";

/** Sends one cell's new place to the dev server, which writes it into the notebook file. Raises an Error with the server's reason when it refuses. */
export async function postLayout(path: string, cell: string, source: string, layout: CellLayout): Promise<void> {
  let response: Response;
  try {
    response = await fetch(LAYOUT_ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ path, cell, source, layout }),
    });
  } catch (error) {
    throw new Error(`saving the layout of ${path} failed: no response from the server (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (response.ok) return;
  const body = (await response.json().catch(() => undefined)) as { error?: string } | undefined;
  const reason =
    response.status === 404 && !body?.error
      ? "this server cannot write notebooks (start the dev server with `npm start` to keep layout changes)"
      : body?.error ?? `HTTP ${response.status}`;
  throw new Error(`saving the layout of ${path} failed: ${reason}`);
}
