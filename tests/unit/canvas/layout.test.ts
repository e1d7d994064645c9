import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { autoLayout } from "../../../src/app/canvas/autoLayout.ts";
import { dataFlow, levels, neighbours } from "../../../src/app/canvas/graph.ts";
import { nodeState, nodeTitle } from "../../../src/app/canvas/nodeState.ts";
import { fitRect, visibleWorld, zoomAt } from "../../../src/app/canvas/viewport.ts";
import { notebookFile, parseChange, saveLayout } from "../../../src/cli/notebookLayoutPlugin.ts";
import { cellLayout, parseNotebook, serializeNotebook, withCellLayout } from "../../../src/runtime/index.ts";

const notebookText = [
  "# Layout",
  "",
  "```js id=a",
  "const a = 1;",
  "```",
  "",
  "```js cache id=b canvas=10,20,300,200",
  "const b = a + 1;",
  "```",
  "",
  "```js",
  "const c = a + b;",
  "```",
  "",
].join("\n");

describe("cell layout option", () => {
  test("reads x, y, width and height", () => {
    expect(cellLayout({ canvas: "10,-20,300,200" }, "b")).toEqual({ x: 10, y: -20, width: 300, height: 200 });
  });

  test("absent option gives no layout", () => {
    expect(cellLayout({ cache: true }, "b")).toBeUndefined();
  });

  test.each(["10,20,300", "a,b,c,d", "1.5,2,300,200", "0,0,10,200", ""])("rejects %j naming the cell", (value) => {
    expect(() => cellLayout({ canvas: value }, "train")).toThrow(/invalid canvas layout of cell train: .*expected four whole numbers/);
  });

  test("moving one cell rewrites only its fence line", () => {
    const notebook = parseNotebook(notebookText, "layout.md");
    const moved = serializeNotebook(withCellLayout(notebook, "b", { x: 40, y: 60, width: 320, height: 240 }));
    const before = notebookText.split("\n");
    const after = moved.split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [i]));
    expect(changed).toEqual([6]);
    expect(after[6]).toBe("```js cache id=b canvas=40,60,320,240");
  });

  test("a first layout appends the option", () => {
    const notebook = parseNotebook(notebookText, "layout.md");
    const moved = serializeNotebook(withCellLayout(notebook, "cell-3", { x: 0, y: 0, width: 400, height: 300 }));
    expect(moved.split("\n")[10]).toBe("```js canvas=0,0,400,300");
  });
});

describe("data flow graph", () => {
  const cells = [
    { id: "a", inputs: [], outputs: ["a"] },
    { id: "b", inputs: ["a", "Math"], outputs: ["b"] },
    { id: "c", inputs: ["b", "a"], outputs: ["c"] },
    { id: "d", inputs: ["c"], outputs: [] },
  ];

  test("one connector per pair, labelled with the names", () => {
    expect(dataFlow(cells)).toEqual([
      { from: "a", to: "b", names: ["a"] },
      { from: "a", to: "c", names: ["a"] },
      { from: "b", to: "c", names: ["b"] },
      { from: "c", to: "d", names: ["c"] },
    ]);
  });

  test("levels follow the longest input chain", () => {
    expect(Object.fromEntries(levels(cells, dataFlow(cells)))).toEqual({ a: 0, b: 1, c: 2, d: 3 });
  });

  test("neighbours are direct inputs and dependents", () => {
    const { inputs, dependents } = neighbours(dataFlow(cells), "c");
    expect([...inputs]).toEqual(["a", "b"]);
    expect([...dependents]).toEqual(["d"]);
  });

  test("automatic layout puts readers right of inputs", () => {
    const layout = autoLayout(cells, dataFlow(cells));
    const xs = cells.map((cell) => layout.get(cell.id)!.x);
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    expect(new Set(xs).size).toBe(4);
  });

  test("two cells on one level share a column", () => {
    const flat = [
      { id: "p", inputs: [], outputs: ["p"] },
      { id: "q", inputs: [], outputs: ["q"] },
    ];
    const layout = autoLayout(flat, []);
    expect(layout.get("p")!.x).toBe(layout.get("q")!.x);
    expect(layout.get("q")!.y).toBeGreaterThan(layout.get("p")!.y + layout.get("p")!.height);
  });
});

describe("viewport", () => {
  test("zoom keeps the point under the cursor", () => {
    const view = zoomAt({ x: 10, y: 20, scale: 1 }, 2, 110, 220);
    expect((110 - view.x) / view.scale).toBeCloseTo(100);
    expect((220 - view.y) / view.scale).toBeCloseTo(200);
  });

  test("fit shows the whole rectangle", () => {
    const view = fitRect({ x: 0, y: 0, width: 2000, height: 1000 }, 1000, 600, 0);
    const visible = visibleWorld(view, 1000, 600);
    expect(visible.x).toBeLessThanOrEqual(0);
    expect(visible.x + visible.width).toBeGreaterThanOrEqual(2000);
    expect(visible.y).toBeLessThanOrEqual(0);
    expect(visible.y + visible.height).toBeGreaterThanOrEqual(1000);
  });
});

describe("layout endpoint", () => {
  test("saves one cell's line", async () => {
    const root = await mkdtemp(join(tmpdir(), "carryover-layout-"));
    await mkdir(join(root, "notebooks"));
    const file = join(root, "notebooks", "layout.md");
    await writeFile(file, notebookText);
    await saveLayout(notebookFile(root, "notebooks/layout.md"), { path: "notebooks/layout.md", cell: "a", source: "const a = 1;", layout: { x: 1, y: 2, width: 300, height: 200 } });
    const after = (await readFile(file, "utf8")).split("\n");
    const before = notebookText.split("\n");
    expect(after.flatMap((line, i) => (line === before[i] ? [] : [line]))).toEqual(["```js id=a canvas=1,2,300,200"]);
  });

  test("rejects a cell whose source changed on disk", async () => {
    const root = await mkdtemp(join(tmpdir(), "carryover-layout-"));
    await mkdir(join(root, "notebooks"));
    await writeFile(join(root, "notebooks", "layout.md"), notebookText);
    const change = { path: "notebooks/layout.md", cell: "a", source: "const a = 2;", layout: { x: 1, y: 2, width: 300, height: 200 } };
    await expect(saveLayout(notebookFile(root, change.path), change)).rejects.toThrow(/differs on disk/);
    expect(await readFile(join(root, "notebooks", "layout.md"), "utf8")).toBe(notebookText);
  });

  test.each(["../package.json", "notebooks/../README.md", "/etc/passwd", "notebooks/x.txt", "notebooks"])("rejects path %j", (path) => {
    expect(() => notebookFile("/repo", path)).toThrow(/invalid notebook path/);
  });

  test("rejects a layout with a missing field", () => {
    expect(() => parseChange(JSON.stringify({ path: "notebooks/a.md", cell: "a", source: "", layout: { x: 1, y: 2, width: 300 } }))).toThrow(/invalid field layout/);
  });

  test("rejects a node smaller than the minimum", () => {
    expect(() => parseChange(JSON.stringify({ path: "notebooks/a.md", cell: "a", source: "", layout: { x: 1, y: 2, width: 3, height: 4 } }))).toThrow(/invalid canvas layout/);
  });
});

describe("node title", () => {
  test("declared names first", () => {
    expect(nodeTitle("cell-1", ["run", "probe"], "const run = 1, probe = 2;")).toBe("run, probe");
  });

  test("imported view for an expression cell", () => {
    expect(nodeTitle("cell-2", [], 'import { curvesView } from "carryover";\n\ncurvesView(run.snapshots, "accuracy");')).toBe("curvesView");
  });

  test("first line of code otherwise", () => {
    expect(nodeTitle("cell-3", [], "// comment\nMath.max(1, 2)")).toBe("Math.max(1, 2)");
  });
});

describe("node state", () => {
  const base = { id: "a", inputs: [], outputs: ["a"], values: new Map(), errors: [], displayed: [], runCount: 1, cache: null } as const;

  test("pending with a pending input is stale", () => {
    expect(nodeState({ ...base, status: "pending" }, true)).toBe("stale");
  });

  test("pending on its own is running", () => {
    expect(nodeState({ ...base, status: "pending" }, false)).toBe("running");
  });

  test("rejected is failed", () => {
    expect(nodeState({ ...base, status: "rejected" }, false)).toBe("failed");
  });

  test("restored from the cache is cached", () => {
    expect(nodeState({ ...base, status: "fulfilled", cache: { status: "restored", reason: "restored", key: "k" } }, false)).toBe("cached");
  });

  test("computed is done", () => {
    expect(nodeState({ ...base, status: "fulfilled", cache: { status: "computed", reason: "computed", key: "k" } }, false)).toBe("done");
  });
});
