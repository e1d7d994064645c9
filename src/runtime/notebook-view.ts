/**
 * The view a notebook opens in, stored as one line of the file's front matter:
 *
 * ```markdown
 * ---
 * view: canvas
 * ---
 * # Title
 * ```
 *
 * `view` is `document` (the default, also when the file has no front matter) or `canvas`.
 * Changing it rewrites that one line, or adds it to the front matter, or adds a three-line
 * front matter block to a file that has none. Every other byte of the file stays as it was.
 */
import { splitLines, type Line } from "./lines.ts";
import type { Notebook, NotebookBlock } from "./notebook.ts";

export type NotebookView = "document" | "canvas";

export const NOTEBOOK_VIEWS: readonly NotebookView[] = ["document", "canvas"];

/** Raised for a `view:` line whose value is not one of NOTEBOOK_VIEWS. */
export class NotebookViewError extends Error {}
NotebookViewError.prototype.name = "NotebookViewError";

const VIEW_LINE = /^view[ \t]*:[ \t]*(.*?)[ \t]*$/;

interface FrontMatter {
  /** Lines of the first block, front matter first. */
  readonly lines: Line[];
  /** Index of the closing `---` line. */
  readonly end: number;
}

/** Finds front matter at the start of a notebook: a first line `---` up to the next `---`, as the notebook parser reads it. */
function frontMatter(blocks: readonly NotebookBlock[]): FrontMatter | undefined {
  const first = blocks[0];
  if (first?.kind !== "markdown") return undefined;
  const lines = splitLines(first.text);
  if (lines[0]?.text !== "---") return undefined;
  const end = lines.findIndex((line, i) => i > 0 && line.text === "---");
  return end < 0 ? undefined : { lines, end };
}

/** Reads the notebook's saved view. Raises NotebookViewError for an unknown value. */
export function notebookView(notebook: Pick<Notebook, "blocks" | "fileName">): NotebookView {
  const found = frontMatter(notebook.blocks);
  if (!found) return "document";
  for (let i = 1; i < found.end; i += 1) {
    const match = VIEW_LINE.exec(found.lines[i].text);
    if (!match) continue;
    const value = match[1].replace(/^(["'])(.*)\1$/, "$2");
    if ((NOTEBOOK_VIEWS as readonly string[]).includes(value)) return value as NotebookView;
    throw new NotebookViewError(
      `invalid view in the front matter of ${notebook.fileName} (line ${i + 1}): ${JSON.stringify(value)} (expected view: document or view: canvas)`,
    );
  }
  return "document";
}

/** Returns the notebook with its saved view set; only the front matter's `view:` line changes, and every cell keeps its bytes. */
export function withNotebookView<T extends Pick<Notebook, "blocks">>(notebook: T, view: NotebookView): T {
  const found = frontMatter(notebook.blocks);
  const blocks = [...notebook.blocks];
  if (!found) {
    const block = `---\nview: ${view}\n---\n`;
    if (blocks[0]?.kind === "markdown") blocks[0] = { kind: "markdown", text: block + blocks[0].text };
    else blocks.unshift({ kind: "markdown", text: block });
    return { ...notebook, blocks };
  }
  const { lines, end } = found;
  const eol = lines[0].eol || "\n";
  const index = lines.findIndex((line, i) => i > 0 && i < end && VIEW_LINE.test(line.text));
  const text = `view: ${view}`;
  if (index >= 0) lines[index] = { text, eol: lines[index].eol, raw: text + lines[index].eol };
  else lines.splice(end, 0, { text, eol, raw: text + eol });
  blocks[0] = { kind: "markdown", text: lines.map((line) => line.raw).join("") };
  return { ...notebook, blocks };
}

/** Markdown text without the notebook's front matter, for pages that render the first block as prose. */
export function withoutFrontMatter(text: string): string {
  const found = frontMatter([{ kind: "markdown", text }]);
  return found ? found.lines.slice(found.end + 1).map((line) => line.raw).join("") : text;
}
