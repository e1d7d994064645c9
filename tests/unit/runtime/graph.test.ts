import { afterEach, describe, expect, it, vi } from "vitest";
import { parseNotebook } from "../../../src/runtime/notebook.ts";
import { NotebookRuntime } from "../../../src/runtime/runtime.ts";
import { delay, disposeNotebooks, gate, startNotebook } from "./harness.ts";

afterEach(disposeNotebooks);

describe("notebook values", () => {
  const cases: [name: string, cells: Record<string, string>, cellId: string, output: string, expected: unknown][] = [
    ["chain", { a: "const a = 1", b: "const b = a * 2", c: "const c = a + b" }, "c", "c", 3],
    ["cells out of order", { c: "const c = b + 1", b: "const b = 1" }, "c", "c", 2],
    ["destructured outputs", { a: "const { x, y: [y] } = { x: 1, y: [2] }", b: "const z = x + y" }, "b", "z", 3],
    ["function output", { f: "function square(n) { return n * n }", u: "const nine = square(3)" }, "u", "nine", 9],
    ["class output", { k: "class Counter { constructor() { this.n = 2 } }", u: "const n = new Counter().n" }, "u", "n", 2],
    ["global", { a: "const biggest = Math.max(1, 5)" }, "a", "biggest", 5],
    ["top-level await", { a: "const v = await Promise.resolve(4)" }, "a", "v", 4],
    ["output promise resolved for users", { a: "const p = Promise.resolve(6)", b: "const q = p + 1" }, "b", "q", 7],
    ["several outputs", { a: "const s = 1, t = 2; let u = s + t", b: "const w = u * 10" }, "b", "w", 30],
  ];

  it.each(cases)("%s", async (_name, cells, cellId, output, expected) => {
    const { runtime, value } = startNotebook(cells);
    await runtime.settled();
    expect(runtime.cellState(cellId).status).toBe("fulfilled");
    expect(value(cellId, output)).toEqual(expected);
  });

  it("reads builtins", async () => {
    const { runtime, value } = startNotebook({ a: "const scaled = 2 * scale" }, { builtins: { scale: 10 } });
    await runtime.settled();
    expect(value("a", "scaled")).toBe(20);
  });

  it("passes function builtins as values", async () => {
    const { runtime, value } = startNotebook({ a: "const r = twice(4)" }, { builtins: { twice: (n: number) => 2 * n } });
    await runtime.settled();
    expect(value("a", "r")).toBe(8);
  });

  it("lets a cell shadow a builtin", async () => {
    const { runtime, value } = startNotebook({ a: "const scale = 3", b: "const s = scale" }, { builtins: { scale: 10 } });
    await runtime.settled();
    expect(value("b", "s")).toBe(3);
  });

  it("resolves imports through the library", async () => {
    const library = { carryover: { k: 3, double: (n: number) => 2 * n }, lazy: Promise.resolve({ l: 5 }) };
    const { runtime, value } = startNotebook(
      {
        named: "import { k, double as twice } from 'carryover'; const y = twice(k)",
        namespace: "import * as lib from 'carryover'; const z = lib.k",
        lazy: "import { l } from 'lazy'; const m = l",
      },
      { library },
    );
    await runtime.settled();
    expect(value("named", "y")).toBe(6);
    expect(value("namespace", "z")).toBe(3);
    expect(value("lazy", "m")).toBe(5);
  });

  it("loads a parsed notebook", async () => {
    const notebook = parseNotebook("# T\n\n```js id=a\nconst a = 2\n```\n\n```js\na * 21\n```\n", "t.md");
    const { runtime } = startNotebook([]);
    runtime.load(notebook);
    await runtime.settled();
    expect(runtime.cellIds()).toEqual(["a", "cell-2"]);
    expect(runtime.cellState("cell-2").displayed).toEqual([42]);
  });
});

describe("notebook display", () => {
  it("shows an expression cell's value", async () => {
    const { runtime, events } = startNotebook({ a: "const a = 20", b: "a + 1" });
    await runtime.settled();
    expect(runtime.cellState("b").displayed).toEqual([21]);
    expect(events).toContainEqual({ type: "fulfilled", cellId: "b", name: null, value: 21 });
    expect(events).toContainEqual({ type: "displayed", cellId: "b", values: [21] });
  });

  it("shows display calls in order", async () => {
    const { runtime, events } = startNotebook({ a: "display(1); display('two'); const x = display(3)" });
    await runtime.settled();
    expect(runtime.cellState("a").displayed).toEqual([1, "two", 3]);
    expect(runtime.cellState("a").values.get("x")).toBe(3);
    const displayed = events.filter((event) => event.type === "displayed").map((event) => event.type === "displayed" && event.values);
    expect(displayed).toEqual([[1], [1, "two"], [1, "two", 3]]);
  });

  it("skips undefined and display results", async () => {
    const { runtime } = startNotebook({ a: "display(5)", b: "undefined" });
    await runtime.settled();
    expect(runtime.cellState("a").displayed).toEqual([5]);
    expect(runtime.cellState("b").displayed).toEqual([]);
  });

  it("fulfills cell without outputs", async () => {
    const { runtime, events } = startNotebook({ a: "const list = []", b: "list.push(1)", c: "{ list.push(2) }" });
    await runtime.settled();
    expect(events).toContainEqual({ type: "fulfilled", cellId: "c", name: null, value: undefined });
    expect(runtime.cellState("c").status).toBe("fulfilled");
  });
});

describe("notebook scheduling", () => {
  it("resolves promises before dependents run", async () => {
    const { runtime, value } = startNotebook({
      slow: "const slow = new Promise((resolve) => setTimeout(() => resolve(5), 20))",
      user: "const doubled = slow * 2",
    });
    await runtime.settled();
    expect(value("user", "doubled")).toBe(10);
    expect(runtime.runCount("user")).toBe(1);
  });

  it.each([
    ["async", "(async function* () { yield 1; yield 2; yield 3; })()"],
    ["sync", "(function* () { yield 1; yield 2; yield 3; })()"],
  ])("streams an %s generator's values to a dependent", async (_kind, generator) => {
    const seen: unknown[] = [];
    const { runtime, valuesOf } = startNotebook(
      { source: `const ticks = ${generator}`, user: "record(ticks * 10)", shown: "ticks" },
      { builtins: { record: (value: unknown) => seen.push(value) } },
    );
    await runtime.settled();
    expect(seen).toEqual([10, 20, 30]);
    expect(valuesOf("source", "ticks")).toEqual([1, 2, 3]);
    expect(valuesOf("shown", null)).toEqual([1, 2, 3]);
    expect(runtime.runCount("user")).toBe(3);
    expect(runtime.runCount("source")).toBe(1);
  });

  it("streams an expression cell's generator", async () => {
    const { runtime, valuesOf } = startNotebook({ a: "(function* () { yield 'a'; yield 'b'; })()" });
    await runtime.settled();
    expect(valuesOf("a", null)).toEqual(["a", "b"]);
    expect(runtime.cellState("a").displayed).toEqual(["b"]);
  });

  it("waits in settled for a generator to finish", async () => {
    const { runtime, valuesOf } = startNotebook({
      a: "const epochs = (async function* () { for (let i = 1; i <= 3; i++) { await new Promise((r) => setTimeout(r, 10)); yield i; } })()",
    });
    await runtime.settled();
    expect(valuesOf("a", "epochs")).toEqual([1, 2, 3]);
  });

  it("edit re-runs dependents only", async () => {
    const { runtime, value } = startNotebook({
      a: "const a = 1",
      b: "const b = a + 1",
      c: "const c = 10",
      d: "const d = b + c",
      e: "const e = c * 2",
    });
    await runtime.settled();
    expect(value("d", "d")).toBe(12);

    runtime.updateCell("a", "const a = 5");
    await runtime.settled();
    expect(value("d", "d")).toBe(16);
    expect(runtime.runCount("a")).toBe(2);
    expect(runtime.runCount("b")).toBe(2);
    expect(runtime.runCount("d")).toBe(2);
    expect(runtime.runCount("c")).toBe(1);
    expect(runtime.runCount("e")).toBe(1);
  });

  it("re-runs a cell whose source is unchanged", async () => {
    const { runtime } = startNotebook({ a: "const a = 1", b: "const b = a" });
    await runtime.settled();
    runtime.updateCell("a", "const a = 1");
    await runtime.settled();
    expect(runtime.runCount("a")).toBe(2);
    expect(runtime.runCount("b")).toBe(2);
  });

  it("follows renamed outputs", async () => {
    const { runtime, value } = startNotebook({ a: "const x = 1", b: "const y = x2 ?? 0" });
    await runtime.settled();
    expect(runtime.cellState("b").errors[0].kind).toBe("undefined");

    runtime.updateCell("a", "const x2 = 7");
    await runtime.settled();
    expect(value("b", "y")).toBe(7);
    expect(runtime.cellState("a").outputs).toEqual(["x2"]);
  });

  it("adds a cell that uses existing outputs", async () => {
    const { runtime, value } = startNotebook({ a: "const a = 3" });
    await runtime.settled();
    runtime.addCell({ id: "b", source: "const b = a * a" });
    await runtime.settled();
    expect(value("b", "b")).toBe(9);
    expect(runtime.runCount("a")).toBe(1);
  });

  it("adds a cell that defines a missing name", async () => {
    const { runtime, value } = startNotebook({ b: "const b = a + 1" });
    await runtime.settled();
    runtime.addCell({ id: "a", source: "const a = 1" });
    await runtime.settled();
    expect(value("b", "b")).toBe(2);
    expect(runtime.cellState("b").errors).toEqual([]);
  });

  it("removal leaves users undefined", async () => {
    const { runtime } = startNotebook({ a: "const a = 1", b: "const b = a" });
    await runtime.settled();
    runtime.removeCell("a");
    await runtime.settled();
    expect(runtime.cellIds()).toEqual(["b"]);
    expect(runtime.cellState("b").errors.map((error) => error.message)).toEqual(["a is not defined (declare it in a cell or import it)"]);
  });

  it("edit skips waiting for superseded body", async () => {
    const slow = gate();
    const { runtime, value } = startNotebook(
      { a: "await hold(); const a = 1", b: "const b = a + 1" },
      { builtins: { hold: () => slow.promise } },
    );
    await delay(10);
    expect(runtime.cellState("a").status).toBe("pending");

    runtime.updateCell("a", "const a = 10");
    await runtime.settled();
    expect(value("b", "b")).toBe(11);
    slow.open();
  });

  it("edit waits for pending input", async () => {
    // Observable 6.0.1 chains each computation of a variable onto the previous one, and the
    // previous one waits for its inputs before the body starts.
    const slow = gate<number>();
    const { runtime, value } = startNotebook({ a: "const b = 2 * waiting" }, { builtins: { waiting: slow.promise } });
    await delay(10);
    runtime.updateCell("a", "const b = 1");
    await delay(20);
    expect(runtime.cellState("a").status).toBe("pending");

    slow.open(5);
    await runtime.settled();
    expect(value("a", "b")).toBe(1);
  });

  it("contains observer exceptions", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = new NotebookRuntime({
      observer: {
        pending: () => {
          throw new Error("page bug");
        },
      },
    });
    failing.load([
      { id: "a", source: "const a = 1" },
      { id: "b", source: "const b = a + 1" },
    ]);
    await failing.settled();
    expect(failing.cellState("b").values.get("b")).toBe(2);
    expect(logged).toHaveBeenCalledTimes(2);
    failing.dispose();
    logged.mockRestore();
  });

  it("reports events for each run", async () => {
    const { runtime, events } = startNotebook({ a: "const a = 1", b: "const b = a + 1" });
    await runtime.settled();
    events.length = 0;
    runtime.updateCell("a", "const a = 2");
    await runtime.settled();
    expect(events).toEqual([
      { type: "pending", cellId: "a" },
      { type: "pending", cellId: "b" },
      { type: "fulfilled", cellId: "a", name: "a", value: 2 },
      { type: "fulfilled", cellId: "b", name: "b", value: 3 },
    ]);
  });
});

describe("NotebookRuntime API", () => {
  it("rejects a second cell with the same id", () => {
    const { runtime } = startNotebook({ a: "1" });
    expect(() => runtime.addCell({ id: "a", source: "2" })).toThrow(/^invalid cell id: "a"/);
  });

  it("rejects an unknown cell id", () => {
    const { runtime } = startNotebook({ a: "1" });
    expect(() => runtime.updateCell("b", "2")).toThrow('cell not found: "b" (expected the id of a loaded cell)');
  });

  it("rejects a builtin named like a cell builtin", () => {
    expect(() => new NotebookRuntime({ builtins: { display: () => {} } })).toThrow(/^invalid builtin: "display"/);
  });

  it("rejects a library entry that cannot hold exports", () => {
    expect(() => new NotebookRuntime({ library: { lib: 3 } })).toThrow(/^invalid library module: "lib" is number/);
  });

  it("reports edited cell pending at once", async () => {
    const { runtime } = startNotebook({ a: "const a = 1" });
    expect(runtime.cellState("a").status).toBe("pending");
    await runtime.settled();
    expect(runtime.cellState("a").status).toBe("fulfilled");
    runtime.updateCell("a", "const a = 2");
    expect(runtime.cellState("a").status).toBe("pending");
  });

  it("replaces all cells on load", async () => {
    const { runtime } = startNotebook({ a: "const a = 1" });
    await runtime.settled();
    runtime.load([{ id: "b", source: "const b = 2" }]);
    await runtime.settled();
    expect(runtime.cellIds()).toEqual(["b"]);
  });

  it("refuses calls after dispose", async () => {
    const { runtime } = startNotebook({ a: "const a = 1" });
    runtime.dispose();
    await expect(runtime.settled()).resolves.toBeUndefined();
    expect(() => runtime.addCell({ id: "b", source: "1" })).toThrow(/disposed/);
  });
});
