/**
 * Notebook file format.
 *
 * A notebook is a Markdown file. Every fenced code block whose info string starts with the
 * word `js` is a cell, and everything else is prose that the page renders as Markdown:
 *
 * ````markdown
 * # Fine-tuning a digit classifier
 *
 * Prose between cells.
 *
 * ```js id=data
 * const data = await loadDigits();
 * ```
 * ````
 *
 * - Fences follow CommonMark: three or more backticks or tildes, indented by at most three
 *   spaces, closed by a line of at least as many of the same character. A fence that is
 *   never closed runs to the end of the file. Other fenced blocks (```` ```python ````,
 *   ```` ```js ```` nested inside a longer fence) stay prose.
 * - Words after `js` are options: `echo` is a flag, `key=value` a value, quoted with `"` or
 *   `'` when it contains spaces. Unknown options are kept.
 * - A cell's id is its `id=` option, or `cell-<n>` for the n-th cell (1-based) in the file.
 *   Ids must be unique and use only letters, digits, `-` and `_`.
 * - The title is the text of the first `# ` heading outside code blocks and front matter,
 *   or the file name without its folder and extension when there is none.
 *
 * `serializeNotebook` writes unchanged blocks back byte for byte, so editing one cell and
 * saving changes only that cell's lines.
 */
import { formatCellOptions, parseCellOptions, sameCellOptions, type CellOptions } from "./cell-options.ts";
import { splitLines, type Line } from "./lines.ts";

export type { CellOptions } from "./cell-options.ts";

export interface Notebook {
  readonly fileName: string;
  readonly title: string;
  readonly blocks: readonly NotebookBlock[];
}

export type NotebookBlock = MarkdownBlock | NotebookCell;

/** Prose between cells, exactly as written, including its line endings. */
export interface MarkdownBlock {
  readonly kind: "markdown";
  readonly text: string;
}

export interface NotebookCell {
  readonly kind: "cell";
  readonly id: string;
  readonly source: string;
  /** 1-based line in the file of the cell's first source line (the line after the opening fence). */
  readonly line: number;
  readonly options: CellOptions;
  /** The cell's text as parsed; absent for cells the page created, which are written with a plain fence. */
  readonly fence?: CellFence;
}

/** Raw text of a parsed cell, kept so that an unchanged cell serializes to the same bytes. */
export interface CellFence {
  /** Opening fence line with its line ending. */
  readonly opening: string;
  /** Lines between the fences, with line endings and indentation. */
  readonly content: string;
  /** Closing fence line with its line ending, or null when the fence runs to the end of the file. */
  readonly closing: string | null;
  /** Spaces before the opening fence, which CommonMark also strips from each source line. */
  readonly indent: number;
  /** The source as parsed, compared with `source` to detect an edit. */
  readonly parsedSource: string;
}

/** Raised for a notebook file that cannot be loaded, such as one with two cells of the same id. */
export class NotebookFormatError extends Error {
  readonly fileName: string;
  readonly line: number;

  constructor(message: string, fileName: string, line: number) {
    super(`${message} (${fileName} line ${line})`);
    this.fileName = fileName;
    this.line = line;
  }
}
NotebookFormatError.prototype.name = "NotebookFormatError";

interface Fence {
  readonly marker: string;
  readonly indent: number;
  readonly info: string;
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const CELL_ID = /^[A-Za-z0-9_-]+$/;

/** Parses a notebook. Raises NotebookFormatError for an invalid or repeated cell id. */
export function parseNotebook(text: string, fileName: string): Notebook {
  const lines = splitLines(text);
  const blocks: NotebookBlock[] = [];
  const idLines = new Map<string, number>();
  let prose = "";
  let title: string | undefined;
  let cellCount = 0;
  let i = skipFrontMatter(lines, (raw) => (prose += raw));

  while (i < lines.length) {
    const fence = matchOpeningFence(lines[i].text);
    if (!fence) {
      prose += lines[i].raw;
      title ??= matchHeading(lines[i].text);
      i += 1;
      continue;
    }

    let end = i + 1;
    while (end < lines.length && !isClosingFence(lines[end].text, fence)) end += 1;
    const closed = end < lines.length;
    const next = closed ? end + 1 : end;
    const words = fence.info.trim().split(/\s+/);
    if (words[0] !== "js") {
      for (let k = i; k < next; k += 1) prose += lines[k].raw;
      i = next;
      continue;
    }

    if (prose !== "") blocks.push({ kind: "markdown", text: prose });
    prose = "";
    cellCount += 1;
    const line = i + 2;
    const options = parseCellOptions(fence.info.trim().slice(2));
    const id = cellId(options, cellCount, fileName, i + 1);
    const previousLine = idLines.get(id);
    if (previousLine !== undefined) {
      throw new NotebookFormatError(
        `invalid cell id: ${JSON.stringify(id)} (expected a unique id, but the cell at line ${previousLine} has it too, so rename one)`,
        fileName,
        i + 1,
      );
    }
    idLines.set(id, i + 1);

    const contentLines = lines.slice(i + 1, end);
    const source = joinSource(contentLines, fence.indent);
    const fenceText: CellFence = {
      opening: lines[i].raw,
      content: contentLines.map((l) => l.raw).join(""),
      closing: closed ? lines[end].raw : null,
      indent: fence.indent,
      parsedSource: source,
    };
    blocks.push({ kind: "cell", id, source, line, options, fence: fenceText });
    i = next;
  }
  if (prose !== "") blocks.push({ kind: "markdown", text: prose });

  return { fileName, title: title ?? fileNameTitle(fileName), blocks };
}

/** Writes a notebook back to Markdown. Blocks whose text and options are unchanged keep their exact bytes. */
export function serializeNotebook(notebook: Pick<Notebook, "blocks">): string {
  let text = "";
  for (const block of notebook.blocks) {
    if (block.kind === "markdown") {
      text += block.text;
      continue;
    }
    // A new fence must start on its own line.
    if (text !== "" && !/[\r\n]$/.test(text)) text += "\n";
    text += serializeCell(block);
  }
  return text;
}

function serializeCell(cell: NotebookCell): string {
  const fence = cell.fence;
  if (!fence) {
    const body = cell.source === "" ? "" : `${cell.source}\n`;
    return "```js" + formatCellOptions(cell.options) + "\n" + body + "```\n";
  }

  let opening = fence.opening;
  const openingLine = splitLines(fence.opening)[0];
  const parsed = matchOpeningFence(openingLine.text);
  if (parsed && !sameCellOptions(parseCellOptions(parsed.info.trim().slice(2)), cell.options)) {
    opening = `${" ".repeat(parsed.indent)}${parsed.marker}js${formatCellOptions(cell.options)}${openingLine.eol || "\n"}`;
  }

  let content = fence.content;
  if (cell.source !== fence.parsedSource) {
    const eol = openingLine.eol || "\n";
    const indent = " ".repeat(fence.indent);
    content = cell.source === "" ? "" : `${indentSource(cell.source, indent)}${eol}`;
  }

  // A cell whose fence ran to the end of the file stays open, so the file keeps its meaning.
  return opening + content + (fence.closing ?? "");
}

function matchOpeningFence(text: string): Fence | undefined {
  const match = OPENING_FENCE.exec(text);
  if (!match) return undefined;
  const [, indent, marker, info] = match;
  // In CommonMark, a backtick fence's info string cannot contain backticks.
  if (marker[0] === "`" && info.includes("`")) return undefined;
  return { indent: indent.length, marker, info };
}

function isClosingFence(text: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text);
  return match !== null && match[1][0] === fence.marker[0] && match[1].length >= fence.marker.length;
}

function matchHeading(text: string): string | undefined {
  const match = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(text);
  return match && match[1] !== "" ? match[1] : undefined;
}

/** Copies YAML front matter (a first line `---` up to the next `---`) to prose and returns the next line index. */
function skipFrontMatter(lines: readonly Line[], append: (raw: string) => void): number {
  if (lines.length === 0 || lines[0].text !== "---") return 0;
  const end = lines.findIndex((line, i) => i > 0 && line.text === "---");
  if (end < 0) return 0;
  for (let i = 0; i <= end; i += 1) append(lines[i].raw);
  return end + 1;
}

function cellId(options: CellOptions, position: number, fileName: string, line: number): string {
  const id = options.id;
  if (id === undefined) return `cell-${position}`;
  if (id === true || !CELL_ID.test(id)) {
    const value = id === true ? "id without a value" : JSON.stringify(id);
    throw new NotebookFormatError(
      `invalid cell id: ${value} (expected letters, digits, "-" or "_", as in id=train)`,
      fileName,
      line,
    );
  }
  return id;
}

function joinSource(lines: readonly Line[], indent: number): string {
  const strip = new RegExp(`^ {0,${indent}}`);
  return lines.map((line, i) => line.text.replace(strip, "") + (i < lines.length - 1 ? line.eol : "")).join("");
}

function indentSource(source: string, indent: string): string {
  if (indent === "") return source;
  return source.replace(/^(?=[^\r\n])/gm, indent);
}

function fileNameTitle(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]*$/, "") || base;
}
