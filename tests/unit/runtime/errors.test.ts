import { afterEach, describe, expect, it } from "vitest";
import { CellError, formatCellError, type CellErrorKind } from "../../../src/runtime/errors.ts";
import { parseNotebook } from "../../../src/runtime/notebook.ts";
import { disposeNotebooks, startNotebook, type Harness } from "./harness.ts";

afterEach(disposeNotebooks);

const loadModel = () => Promise.reject(new Error("model.json not found (put it in public/models)"));
const library = { carryover: { fineTune: () => 1 } };

interface ExpectedError {
  readonly kind: CellErrorKind;
  readonly message: string;
  readonly names?: readonly string[];
}

interface ErrorCase {
  readonly name: string;
  readonly cells: Record<string, string>;
  readonly errors: Record<string, ExpectedError>;
  /** An edit that removes the cause: every cell is fulfilled afterwards. */
  readonly fix: readonly [cellId: string, source: string];
}

const cases: ErrorCase[] = [
  {
    name: "syntax error",
    cells: { bad: "const = 1", user: "const y = ok + 1" },
    errors: { bad: { kind: "syntax", message: "syntax error at line 1, column 7: Unexpected token" } },
    fix: ["bad", "const x = 1"],
  },
  {
    name: "undefined name",
    cells: { user: "const y = missing + 1", expression: "missing * 2" },
    errors: {
      user: { kind: "undefined", message: "missing is not defined (declare it in a cell or import it)", names: ["missing"] },
      expression: { kind: "undefined", message: "missing is not defined (declare it in a cell or import it)", names: ["missing"] },
    },
    fix: ["other", "const missing = 1"],
  },
  {
    name: "duplicate definition",
    cells: { first: "const x = 1", second: "const x = 2", user: "const y = x" },
    errors: {
      first: { kind: "duplicate", message: "x is defined more than once (cells first and second declare it, so rename or remove all but one)", names: ["x"] },
      second: { kind: "duplicate", message: "x is defined more than once (cells first and second declare it, so rename or remove all but one)", names: ["x"] },
      user: { kind: "duplicate", message: "x is defined more than once (cells first and second declare it, so rename or remove all but one)", names: ["x"] },
    },
    fix: ["second", "const x2 = 2"],
  },
  {
    name: "circular definition",
    cells: { p: "const p = q + 1", q: "const q = p + 1", user: "const r = p" },
    errors: {
      p: { kind: "circular", message: "circular definition: p uses q from q and q uses p from p (remove one of these uses)", names: ["q", "p"] },
      q: { kind: "circular", message: "circular definition: q uses p from p and p uses q from q (remove one of these uses)", names: ["p", "q"] },
      user: { kind: "input", message: 'input "p" failed: circular definition: p uses q from q and q uses p from p (remove one of these uses) (cell p)', names: ["p"] },
    },
    fix: ["q", "const q = 1"],
  },
  {
    name: "thrown error",
    cells: { thrower: "const t = 1; throw new Error('boom')" },
    errors: { thrower: { kind: "thrown", message: "boom" } },
    fix: ["thrower", "const t = 1"],
  },
  {
    name: "failed input",
    cells: { model: "const model = await loadModel()", summary: "const summary = model.layers", shown: "summary" },
    errors: {
      model: { kind: "thrown", message: "model.json not found (put it in public/models)" },
      summary: { kind: "input", message: 'input "model" failed: model.json not found (put it in public/models) (cell model)', names: ["model"] },
      shown: { kind: "input", message: 'input "summary" failed: model.json not found (put it in public/models) (cell model)', names: ["summary"] },
    },
    fix: ["model", "const model = { layers: 3 }"],
  },
  {
    name: "rejected output promise",
    cells: { data: "const data = loadModel(), size = 3", user: "const n = data.length" },
    errors: {
      data: { kind: "thrown", message: "model.json not found (put it in public/models)", names: ["data"] },
      user: { kind: "input", message: 'input "data" failed: model.json not found (put it in public/models) (cell data)', names: ["data"] },
    },
    fix: ["data", "const data = [], size = 3"],
  },
  {
    name: "unknown module",
    cells: { importer: "import { fineTune } from 'carryover/train'; fineTune()" },
    errors: { importer: { kind: "import", message: 'module not found: "carryover/train" (expected one of "carryover")', names: ["carryover/train"] } },
    fix: ["importer", "import { fineTune } from 'carryover'; fineTune()"],
  },
  {
    name: "unknown export",
    cells: { importer: "import { finetune } from 'carryover'; finetune()" },
    errors: { importer: { kind: "import", message: 'export not found: "finetune" in module "carryover" (did you mean fineTune?)', names: ["finetune"] } },
    fix: ["importer", "import { fineTune } from 'carryover'; fineTune()"],
  },
];

async function start(cells: Record<string, string>): Promise<Harness> {
  const harness = startNotebook({ ...cells, ok: "const ok = 41", okUser: "ok + 1" }, { builtins: { loadModel }, library });
  await harness.runtime.settled();
  return harness;
}

describe("cell errors", () => {
  it.each(cases)("$name", async ({ cells, errors }) => {
    const { runtime } = await start(cells);
    for (const id of Object.keys(cells)) {
      const state = runtime.cellState(id);
      const expected = errors[id];
      if (!expected) {
        expect(state.errors, id).toEqual([]);
        continue;
      }
      expect(state.status, id).toBe("rejected");
      expect(state.errors.map((error) => error.message), id).toEqual([expected.message]);
      expect(state.errors[0].kind, id).toBe(expected.kind);
      expect(state.errors[0].cellId, id).toBe(id);
      if (expected.names) expect(state.errors[0].names, id).toEqual(expected.names);
    }
    expect(runtime.cellState("ok").status).toBe("fulfilled");
    expect(runtime.cellState("okUser").displayed).toEqual([42]);
  });

  it.each(cases)("$name recovers after an edit", async ({ cells, fix }) => {
    const { runtime } = await start(cells);
    const [id, source] = fix;
    if (runtime.cellIds().includes(id)) runtime.updateCell(id, source);
    else runtime.addCell({ id, source });
    await runtime.settled();
    for (const cellId of runtime.cellIds()) {
      expect(runtime.cellState(cellId).errors, cellId).toEqual([]);
      expect(runtime.cellState(cellId).status, cellId).toBe("fulfilled");
    }
  });
});

describe("cell error details", () => {
  it("syntax error fails dependent input", async () => {
    const { runtime } = startNotebook({ source: "const s = 1", user: "const t = s" });
    await runtime.settled();
    runtime.updateCell("source", "const s = ;");
    await runtime.settled();
    expect(runtime.cellState("source").errors[0].kind).toBe("syntax");
    const [error] = runtime.cellState("user").errors;
    expect(error.kind).toBe("input");
    expect(error.message).toBe('input "s" failed: syntax error at line 1, column 11: Unexpected token (cell source)');
    expect(error.originCellId).toBe("source");
  });

  it("points a syntax error at its notebook line", async () => {
    const notebook = parseNotebook("# T\n\nProse.\n\n```js\nconst a = 1;\nconst b = ;\n```\n", "t.md");
    const { runtime } = startNotebook([]);
    runtime.load(notebook);
    await runtime.settled();
    const [error] = runtime.cellState("cell-1").errors;
    expect(error.location).toEqual({ line: 7, column: 11, cellLine: 2, offset: 23 });
  });

  it("chains input errors to their origin", async () => {
    const { runtime } = startNotebook({ a: "const a = fail()", b: "const b = a", c: "const c = b" }, { builtins: { fail: () => { throw new TypeError("bad shape"); } } });
    await runtime.settled();
    const [error] = runtime.cellState("c").errors;
    expect(error.originCellId).toBe("a");
    expect(error.cause).toBe(runtime.cellState("b").errors[0]);
    expect((error.cause as CellError).cause).toBe(runtime.cellState("a").errors[0]);
    expect(runtime.cellState("a").errors[0].cause).toBeInstanceOf(TypeError);
  });

  it("names each cell of a longer cycle", async () => {
    const { runtime } = startNotebook({ a: "const a = c", b: "const b = a", c: "const c = b" });
    await runtime.settled();
    expect(runtime.cellState("a").errors[0].message).toBe(
      "circular definition: a uses c from c, c uses b from b, and b uses a from a (remove one of these uses)",
    );
  });

  it("duplicate keeps other outputs", async () => {
    const { runtime, events } = startNotebook({ a: "const x = 1, y = 2", b: "const x = 3", user: "const z = y" });
    await runtime.settled();
    const rejected = events.flatMap((event) => (event.type === "rejected" && event.cellId === "a" ? [event.name] : []));
    expect(rejected).toEqual(["x"]);
    expect(runtime.cellState("a").errors.map((error) => error.kind)).toEqual(["duplicate"]);
    expect(runtime.cellState("a").values.get("y")).toBe(2);
    expect(runtime.cellState("user").values.get("z")).toBe(2);
  });

  it("sends rejected events with CellErrors", async () => {
    const { runtime, events } = startNotebook({ a: "throw new RangeError('too far')" });
    await runtime.settled();
    const errors = events.flatMap((event) => (event.type === "rejected" ? [event.error] : []));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CellError);
  });

  it("describes a thrown non-Error value", async () => {
    const { runtime } = startNotebook({ a: "throw 'plain text'", b: "throw { code: 1 }" });
    await runtime.settled();
    expect(runtime.cellState("a").errors[0].message).toBe("plain text");
    expect(runtime.cellState("b").errors[0].message).toBe("a non-Error object was thrown (throw an Error to show a message)");
  });
});

describe("formatCellError", () => {
  it("prefixes id and error class", () => {
    const error = new CellError("too far", { kind: "thrown", cellId: "train", cause: new RangeError("too far") });
    expect(formatCellError(error)).toBe("train: RangeError: too far");
  });

  it("leaves out the class of a plain Error", () => {
    const error = new CellError("boom", { kind: "thrown", cellId: "train", cause: new Error("boom") });
    expect(formatCellError(error)).toBe("train: boom");
  });

  it("prints other kinds as their message", () => {
    const error = new CellError("x is not defined (declare it in a cell or import it)", { kind: "undefined", cellId: "c", names: ["x"] });
    expect(formatCellError(error)).toBe("c: x is not defined (declare it in a cell or import it)");
  });
});
