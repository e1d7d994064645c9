import { readFile, rename, writeFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import type { Plugin } from "vite";
import { LAYOUT_ENDPOINT } from "../app/canvas/layoutSaver.ts";
import { cellLayout, CellLayoutError, withCellLayout, type CellLayout } from "../runtime/cell-layout.ts";
import { parseNotebook, serializeNotebook } from "../runtime/notebook.ts";
import { NOTEBOOK_VIEWS, withNotebookView, type NotebookView } from "../runtime/notebook-view.ts";

/** The folder, relative to the server root, whose notebooks the endpoint may rewrite. */
export const NOTEBOOK_FOLDER = "notebooks";

/** Largest request body accepted, in bytes: a layout change is well under 1 KiB plus the cell's source. */
const MAX_BODY_BYTES = 1 << 20;

/** A layout change as the page sends it. `source` is the cell's source as the page loaded it. */
export interface LayoutChange {
  readonly path: string;
  readonly cell: string;
  readonly source: string;
  readonly layout: CellLayout;
}

/** A change of the notebook's saved view, which rewrites its front matter's `view:` line. */
export interface ViewChange {
  readonly path: string;
  readonly view: NotebookView;
}

class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Lets the dev server save the canvas layout into the notebook file. The page posts one cell's
 * new place, and the server rewrites that cell's fence line in the file on disk and nothing
 * else. Only `.md` files that already exist under `notebooks/` can be written, only from a page
 * of the same origin, and only while the cell's source on disk matches the page's copy. The
 * page's document/canvas switch posts `{path, view}` to the same address, which rewrites the
 * front matter's `view:` line the same way.
 */
export function notebookLayoutPlugin(): Plugin {
  /** Text this plugin last wrote to each file, so that its own write does not reload the page. */
  const written = new Map<string, string>();
  /** The last save of each file, so that two requests never read and rewrite the same file at once. */
  const queues = new Map<string, Promise<unknown>>();
  return {
    name: "carryover-notebook-layout",
    apply: "serve",
    // Writing a temporary file and renaming it over the notebook can reach the watcher as a
    // "create" as well as an "update", so every event for the file is checked.
    async hotUpdate(options) {
      const text = written.get(options.file);
      if (text === undefined || options.type === "delete") return undefined;
      // The page already shows the new place, and a reload would interrupt its running cells.
      // The file's module is invalidated on write, so the next page load reads the new text.
      return (await options.read()) === text ? [] : undefined;
    },
    configureServer(server) {
      server.middlewares.use(async (request, response, next) => {
        if ((request.url ?? "").split("?")[0] !== LAYOUT_ENDPOINT) return next();
        try {
          if (request.method !== "POST") throw new RequestError(405, `invalid method: ${request.method} (expected POST)`);
          checkOrigin(request);
          const change = parseChange(await readBody(request));
          const file = notebookFile(server.config.root, change.path);
          // The text is recorded before the write, so the watcher's event never arrives first.
          const record = (text: string) => written.set(file, text);
          const save = (queues.get(file) ?? Promise.resolve())
            .catch(() => undefined)
            .then(() => ("view" in change ? saveView(file, change, record) : saveLayout(file, change, record)));
          queues.set(file, save);
          await save;
          for (const module of server.moduleGraph.getModulesByFile(file) ?? []) server.moduleGraph.invalidateModule(module);
          response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ saved: change.path }));
        } catch (error) {
          const status = error instanceof RequestError ? error.status : 500;
          const message = error instanceof Error ? error.message : String(error);
          const line = `carryover: saving a notebook's view or canvas layout failed (HTTP ${status}): ${message}`;
          if (status === 500) server.config.logger.error(line);
          else server.config.logger.warn(line);
          response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ error: message }));
        }
      });
    },
  };
}

/** Rewrites one cell's layout option in the file, calling `beforeWrite` with the new text unless nothing changed. Exported for unit tests. */
export async function saveLayout(file: string, change: LayoutChange, beforeWrite: (text: string) => void = () => {}): Promise<void> {
  const text = await readNotebookFile(file, change.path);
  const notebook = parseNotebook(text, change.path);
  const cell = notebook.blocks.find((block) => block.kind === "cell" && block.id === change.cell);
  if (!cell || cell.kind !== "cell") {
    throw new RequestError(409, `cell not found: ${change.cell} in ${change.path} (the file changed on disk since the page loaded it: reload the page)`);
  }
  if (cell.source !== change.source) {
    throw new RequestError(409, `cell ${change.cell} in ${change.path} differs on disk from the page's copy (reload the page, then move the node again)`);
  }
  await writeNotebook(file, text, serializeNotebook(withCellLayout(notebook, change.cell, change.layout)), beforeWrite);
}

/** Rewrites the notebook's saved view in the file, calling `beforeWrite` with the new text unless nothing changed. Exported for unit tests. */
export async function saveView(file: string, change: ViewChange, beforeWrite: (text: string) => void = () => {}): Promise<void> {
  const text = await readNotebookFile(file, change.path);
  await writeNotebook(file, text, serializeNotebook(withNotebookView(parseNotebook(text, change.path), change.view)), beforeWrite);
}

async function readNotebookFile(file: string, path: string): Promise<string> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new RequestError(404, `notebook not found: ${path} (expected an existing file under ${NOTEBOOK_FOLDER}/)`);
    throw error;
  });
}

async function writeNotebook(file: string, text: string, updated: string, beforeWrite: (text: string) => void): Promise<void> {
  if (updated === text) return;
  beforeWrite(updated);
  // Writing a sibling and renaming it over the file means a reader never sees half a notebook.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, updated, "utf8");
  await rename(temporary, file);
}

function checkOrigin(request: IncomingMessage): void {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (origin !== undefined && origin !== `http://${host}`) {
    throw new RequestError(403, `invalid origin: ${origin} (layout changes are accepted only from pages of http://${host})`);
  }
  if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
    throw new RequestError(415, `invalid content type: ${request.headers["content-type"] ?? "none"} (expected application/json)`);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, `request body too large: over ${MAX_BODY_BYTES} bytes (expected one cell's layout)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Checks a request body's fields: a layout change, or a view change `{path, view}`. Exported for unit tests. */
export function parseChange(body: string): LayoutChange | ViewChange {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new RequestError(400, "invalid request body: not JSON (expected {path, cell, source, layout})");
  }
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if ("view" in record) {
    if (typeof record.path !== "string") throw new RequestError(400, "missing field: path (expected a string)");
    if (!NOTEBOOK_VIEWS.includes(record.view as NotebookView)) {
      throw new RequestError(400, `invalid field view: ${JSON.stringify(record.view)} (expected one of ${NOTEBOOK_VIEWS.join(", ")})`);
    }
    return { path: record.path, view: record.view as NotebookView };
  }
  for (const field of ["path", "cell", "source"] as const) {
    if (typeof record[field] !== "string") throw new RequestError(400, `missing field: ${field} (expected a string)`);
  }
  const layout = record.layout as Record<string, unknown> | undefined;
  const numbers = ["x", "y", "width", "height"].map((key) => layout?.[key]);
  if (numbers.some((n) => typeof n !== "number" || !Number.isFinite(n))) {
    throw new RequestError(400, `invalid field layout: ${JSON.stringify(layout)} (expected {x, y, width, height} as finite numbers)`);
  }
  const text = numbers.map((n) => Math.round(n as number)).join(",");
  try {
    const checked = cellLayout({ canvas: text }, String(record.cell))!;
    return { path: String(record.path), cell: String(record.cell), source: String(record.source), layout: checked };
  } catch (error) {
    if (error instanceof CellLayoutError) throw new RequestError(400, error.message);
    throw error;
  }
}

/** Resolves a notebook path from the page to a file under the notebook folder, or raises a 403. */
export function notebookFile(root: string, path: string): string {
  const folder = resolve(root, NOTEBOOK_FOLDER);
  const file = resolve(root, normalize(path));
  const inside = relative(folder, file);
  if (isAbsolute(path) || !path.endsWith(".md") || inside === "" || inside.startsWith("..") || isAbsolute(inside) || !file.startsWith(folder + sep)) {
    throw new RequestError(403, `invalid notebook path: ${JSON.stringify(path)} (expected a .md file under ${NOTEBOOK_FOLDER}/, as in ${join(NOTEBOOK_FOLDER, "digits.md")})`);
  }
  return file;
}

