import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replayPartOf } from "../../../src/app/replayCanvas.ts";
import { notebookFile, parseChange, saveView } from "../../../src/cli/notebookLayoutPlugin.ts";
import { parseNotebook, serializeNotebook } from "../../../src/runtime/notebook.ts";
import { notebookView, NotebookViewError, withNotebookView, withoutFrontMatter, type NotebookView } from "../../../src/runtime/notebook-view.ts";

const body = "# Views\n\n```js id=a canvas=10,20,300,200\nconst a = 1;\n```\n";

const viewOf = (text: string) => notebookView(parseNotebook(text, "v.md"));
const setView = (text: string, view: NotebookView) => serializeNotebook(withNotebookView(parseNotebook(text, "v.md"), view));

describe("notebook view setting", () => {
  it.each([
    ["no front matter", body, "document"],
    ["front matter without view", `---\ntitle: Views\n---\n${body}`, "document"],
    ["view: canvas", `---\nview: canvas\n---\n${body}`, "canvas"],
    ["quoted, CRLF", `---\r\nview: "canvas"\r\n---\r\n${body}`, "canvas"],
    ["nested key is not the setting", `---\npage:\n  view: canvas\n---\n${body}`, "document"],
    ["file starting with a cell", "---\nview: canvas\n---\n```js\n1\n```\n", "canvas"],
  ])("reads %s", (_name, text, view) => {
    expect(viewOf(text)).toBe(view);
  });

  it("names the file, line and value of an unknown view", () => {
    expect(() => viewOf(`---\ntitle: x\nview: map\n---\n${body}`)).toThrow(NotebookViewError);
    expect(() => viewOf(`---\ntitle: x\nview: map\n---\n${body}`)).toThrow('invalid view in the front matter of v.md (line 3): "map" (expected view: document or view: canvas)');
  });

  it("adds front matter where missing", () => {
    expect(setView(body, "canvas")).toBe(`---\nview: canvas\n---\n${body}`);
    expect(setView("```js\n1\n```\n", "canvas")).toBe("---\nview: canvas\n---\n```js\n1\n```\n");
  });

  it("changes only the view line", () => {
    const text = `---\r\ntitle: Views\r\nview: document # the default\r\nother: 1\r\n---\r\n${body}`;
    expect(setView(text, "canvas")).toBe(text.replace("view: document # the default", "view: canvas"));
    expect(setView(`---\ntitle: Views\n---\n${body}`, "canvas")).toBe(`---\ntitle: Views\nview: canvas\n---\n${body}`);
  });

  it("round-trips through parse and serialize", () => {
    for (const view of ["canvas", "document"] as const) {
      const text = setView(body, view);
      expect(serializeNotebook(parseNotebook(text, "v.md"))).toBe(text);
      expect(viewOf(text)).toBe(view);
      expect(setView(text, view)).toBe(text);
      // The cells keep their ids, options and sources.
      const cells = (source: string) => parseNotebook(source, "v.md").blocks.flatMap((block) => (block.kind === "cell" ? [[block.id, block.options, block.source]] : []));
      expect(cells(text)).toEqual(cells(body));
    }
    expect(setView(setView(body, "canvas"), "document")).toBe(`---\nview: document\n---\n${body}`);
  });

  it("leaves the front matter out of rendered prose", () => {
    expect(withoutFrontMatter("---\nview: canvas\n---\n# Views\n")).toBe("# Views\n");
    expect(withoutFrontMatter("# Views\n---\n")).toBe("# Views\n---\n");
  });
});

describe("view endpoint", () => {
  it("saves the view line only", async () => {
    const root = await mkdtemp(join(tmpdir(), "carryover-view-"));
    await mkdir(join(root, "notebooks"));
    const file = join(root, "notebooks", "v.md");
    await writeFile(file, body);
    const change = parseChange(JSON.stringify({ path: "notebooks/v.md", view: "canvas" }));
    expect(change).toEqual({ path: "notebooks/v.md", view: "canvas" });
    await saveView(notebookFile(root, "notebooks/v.md"), { path: "notebooks/v.md", view: "canvas" });
    expect(await readFile(file, "utf8")).toBe(`---\nview: canvas\n---\n${body}`);
  });

  it("rejects an unknown view", () => {
    expect(() => parseChange(JSON.stringify({ path: "notebooks/v.md", view: "map" }))).toThrow('invalid field view: "map" (expected one of document, canvas)');
  });
});

describe("replayed view of a cell", () => {
  it.each([
    ['import { curvesView } from "carryover";\ncurvesView(run.snapshots, "accuracy");', "accuracy"],
    ["import { curvesView } from 'carryover';\ncurvesView(run.snapshots, 'loss');", "loss"],
    ['import { classTableView } from "carryover";\nclassTableView(run.snapshots.at(-1), probe.classNames);', "classes"],
    ['import { projectionView } from "carryover";\nprojectionView({});', "projection"],
    ['import { runStatusView } from "carryover";\nrunStatusView(run);', "transfer"],
    ["const run = training.run();", undefined],
    ["not javascript (", undefined],
  ])("%s", (source, part) => {
    expect(replayPartOf(source)).toBe(part);
  });
});
