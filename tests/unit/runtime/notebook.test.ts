import { describe, expect, it } from "vitest";
import {
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  type CellOptions,
  type NotebookCell,
} from "../../../src/runtime/notebook.ts";

const DIGITS = [
  "# Fine-tuning digits",
  "",
  "Load the data.",
  "",
  "```js id=data",
  "const data = await loadDigits();",
  "```",
  "",
  "```js echo",
  "data.length",
  "```",
  "",
  "```python",
  "# not a heading, not a cell",
  "```",
  "",
].join("\n");

function cells(text: string): NotebookCell[] {
  return parseNotebook(text, "test.md").blocks.filter((block): block is NotebookCell => block.kind === "cell");
}

describe("parseNotebook", () => {
  it("splits prose and cells in document order", () => {
    const notebook = parseNotebook(DIGITS, "notebooks/digits.md");
    expect(notebook.fileName).toBe("notebooks/digits.md");
    expect(notebook.title).toBe("Fine-tuning digits");
    expect(notebook.blocks.map((block) => block.kind)).toEqual(["markdown", "cell", "markdown", "cell", "markdown"]);
    expect(notebook.blocks[0]).toEqual({ kind: "markdown", text: "# Fine-tuning digits\n\nLoad the data.\n\n" });
    expect(notebook.blocks[4]).toEqual({ kind: "markdown", text: "\n```python\n# not a heading, not a cell\n```\n" });
  });

  it("reads ids, sources, lines and options", () => {
    const [data, length] = cells(DIGITS);
    expect(data).toMatchObject({ id: "data", source: "const data = await loadDigits();", line: 6 });
    expect({ ...data.options }).toEqual({ id: "data" });
    expect(length).toMatchObject({ id: "cell-2", source: "data.length", line: 10 });
    expect({ ...length.options }).toEqual({ echo: true });
  });

  it("keeps unknown options and quoted values", () => {
    const [cell] = cells('```js cache layout=wide title="Loss curve" note=\'a b\'\n1\n```\n');
    expect({ ...cell.options }).toEqual({ cache: true, layout: "wide", title: "Loss curve", note: "a b" });
  });

  it("numbers unnamed cells by position", () => {
    const text = "```js\n1\n```\n```js id=named\n2\n```\n```js\n3\n```\n";
    expect(cells(text).map((cell) => cell.id)).toEqual(["cell-1", "named", "cell-3"]);
  });

  it("keeps blank and indented lines in a source", () => {
    const [cell] = cells("```js\n\nif (a) {\n  b();\n}\n\n```\n");
    expect(cell.source).toBe("\nif (a) {\n  b();\n}\n");
  });

  it("reads an empty cell", () => {
    const [cell] = cells("```js\n```\n");
    expect(cell.source).toBe("");
  });

  it("strips fence indentation from lines", () => {
    const [cell] = cells("  ```js\n  const a = 1;\n    nested();\n  ```\n");
    expect(cell.source).toBe("const a = 1;\n  nested();");
  });

  it("ignores nested and non-js fences", () => {
    const text = "````md\n```js\nnot a cell\n```\n````\n```javascript\nalso prose\n```\n~~~js\ncell()\n~~~\n";
    expect(cells(text).map((cell) => cell.source)).toEqual(["cell()"]);
  });

  it("runs an unclosed fence to the end of the file", () => {
    const [cell] = cells("# T\n```js\nconst a = 1;\nconst b = 2;\n");
    expect(cell.source).toBe("const a = 1;\nconst b = 2;");
  });

  it("reads CRLF files", () => {
    const [cell] = cells("# T\r\n\r\n```js\r\nconst a = 1;\r\na\r\n```\r\n");
    expect(cell.source).toBe("const a = 1;\r\na");
    expect(cell.line).toBe(4);
  });

  it("title skips code and front matter", () => {
    expect(parseNotebook("---\n# yaml comment\ntitle: x\n---\nText\n\n## Sub\n# Real title #\n", "a.md").title).toBe("Real title");
    expect(parseNotebook("```js\n# not a title\n```\n", "a.md").title).toBe("a");
  });

  it("falls back to the file name for the title", () => {
    expect(parseNotebook("No heading here.\n", "notebooks/transfer.md").title).toBe("transfer");
  });

  it("rejects a repeated id", () => {
    const text = "```js id=train\n1\n```\n\n```js id=train\n2\n```\n";
    expect(() => parseNotebook(text, "a.md")).toThrow(NotebookFormatError);
    expect(() => parseNotebook(text, "a.md")).toThrow('invalid cell id: "train" (expected a unique id, but the cell at line 1 has it too, so rename one) (a.md line 5)');
  });

  it("rejects id equal to position id", () => {
    expect(() => parseNotebook("```js id=cell-2\n1\n```\n```js\n2\n```\n", "a.md")).toThrow(/"cell-2"/);
  });

  it("rejects an id with other characters", () => {
    expect(() => parseNotebook('```js id="a b"\n1\n```\n', "a.md")).toThrow(/^invalid cell id: "a b"/);
    expect(() => parseNotebook("```js id\n1\n```\n", "a.md")).toThrow(/^invalid cell id: id without a value/);
  });
});

describe("serializeNotebook", () => {
  const documents: [name: string, text: string][] = [
    ["typical notebook", DIGITS],
    ["no trailing newline", "# T\n\n```js\n1 + 2\n```"],
    ["CRLF line endings", "# T\r\n\r\n```js id=a\r\nconst a = 1;\r\n```\r\nText\r\n"],
    ["unclosed fence", "# T\n```js\nconst a = 1;\n"],
    ["indented fence", "  ```js\n  const a = 1;\n  ```\n"],
    ["tilde fence and long closing fence", "~~~js\na\n~~~~~\n"],
    ["empty cell", "```js\n```\n"],
    ["nested fences", "````md\n```js\nx\n```\n````\n"],
    ["only prose", "Just text.\n"],
    ["empty file", ""],
    ["front matter", "---\ntitle: x\n---\n```js\n1\n```\n"],
  ];

  it.each(documents)("round-trips %s byte for byte", (_name, text) => {
    expect(serializeNotebook(parseNotebook(text, "a.md"))).toBe(text);
  });

  it("rewrites only an edited cell", () => {
    const notebook = parseNotebook(DIGITS, "a.md");
    const blocks = notebook.blocks.map((block) =>
      block.kind === "cell" && block.id === "cell-2" ? { ...block, source: "data.length * 2\n// doubled" } : block,
    );
    expect(serializeNotebook({ blocks })).toBe(DIGITS.replace("data.length\n", "data.length * 2\n// doubled\n"));
  });

  it("edit keeps CRLF and indentation", () => {
    const crlf = parseNotebook("```js\r\na\r\n```\r\n", "a.md");
    const edited = crlf.blocks.map((block) => (block.kind === "cell" ? { ...block, source: "b" } : block));
    expect(serializeNotebook({ blocks: edited })).toBe("```js\r\nb\r\n```\r\n");

    const indented = parseNotebook("  ```js\n  a\n  ```\n", "a.md");
    const editedIndented = indented.blocks.map((block) => (block.kind === "cell" ? { ...block, source: "b\n\nc" } : block));
    expect(serializeNotebook({ blocks: editedIndented })).toBe("  ```js\n  b\n\n  c\n  ```\n");
  });

  it("writes an edited cell that is now empty", () => {
    const notebook = parseNotebook("```js\na\n```\n", "a.md");
    const blocks = notebook.blocks.map((block) => (block.kind === "cell" ? { ...block, source: "" } : block));
    expect(serializeNotebook({ blocks })).toBe("```js\n```\n");
  });

  it("rewrites the opening fence when options change", () => {
    const notebook = parseNotebook("Text\n````js echo\na\n````\n", "a.md");
    const options: CellOptions = { echo: true, cache: true, title: "Loss curve" };
    const blocks = notebook.blocks.map((block) => (block.kind === "cell" ? { ...block, options } : block));
    expect(serializeNotebook({ blocks })).toBe('Text\n````js echo cache title="Loss curve"\na\n````\n');
  });

  it("writes a cell the page created", () => {
    const blocks = [
      { kind: "markdown" as const, text: "Intro" },
      { kind: "cell" as const, id: "new", source: "1 + 1", line: 0, options: { id: "new" } },
    ];
    expect(serializeNotebook({ blocks })).toBe("Intro\n```js id=new\n1 + 1\n```\n");
  });

  it("parses what it writes for a created cell", () => {
    const text = serializeNotebook({
      blocks: [{ kind: "cell", id: "x", source: "const x = 1", line: 0, options: { id: "x", note: "two words" } }],
    });
    const [cell] = cells(text);
    expect(cell.source).toBe("const x = 1");
    expect({ ...cell.options }).toEqual({ id: "x", note: "two words" });
  });
});
