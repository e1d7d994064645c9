import { describe, expect, it } from "vitest";
import { compileCell, type CompiledCell } from "../../../src/runtime/compile.ts";
import { CellError } from "../../../src/runtime/errors.ts";

function compiled(source: string): CompiledCell {
  const result = compileCell(source, "cell-1");
  if (result instanceof CellError) throw new Error(`expected ${JSON.stringify(source)} to compile: ${result.message}`);
  return result;
}

function compileError(source: string, line = 1): CellError {
  const result = compileCell(source, "cell-1", { line });
  if (!(result instanceof CellError)) throw new Error(`expected ${JSON.stringify(source)} not to compile`);
  return result;
}

describe("compileCell inputs and outputs", () => {
  const cases: [source: string, inputs: string[], outputs: string[], expression: boolean][] = [
    // Declarations of each kind.
    ["const a = 1", [], ["a"], false],
    ["let b = a + 1", ["a"], ["b"], false],
    ["var c = 1, d = c", [], ["c", "d"], false],
    ["function f(x) { return x + y }", ["y"], ["f"], false],
    ["async function* stream() { yield await source }", ["source"], ["stream"], false],
    ["class Model extends Base { fit() { return data } }", ["Base", "data"], ["Model"], false],
    ["const A = class B { clone() { return new B() } }", [], ["A"], false],
    // Destructuring patterns.
    ["const { a, b: { c }, ...rest } = obj", ["obj"], ["a", "c", "rest"], false],
    ["const [first, , third = fallback] = list", ["fallback", "list"], ["first", "third"], false],
    // Shadowing and names used only inside nested functions.
    ["const total = items.map((item) => item * scale)", ["items", "scale"], ["total"], false],
    ["function g() { const inner = 1; return inner + outer }", ["outer"], ["g"], false],
    ["const h = (x) => { const y = x; return (z) => y + z + w }", ["w"], ["h"], false],
    ["{ let hidden = 1; record(hidden) }", ["record"], [], false],
    ["for (let i = 0; i < n; i++) total += i", ["n", "total"], [], false],
    ["try { risky() } catch (error) { report(error) }", ["risky", "report"], [], false],
    ["outer: for (const x of xs) { if (x) break outer }", ["xs"], [], false],
    // Member expressions and object keys are not references.
    ["model.layers.length + tf.memory().numTensors", ["model", "tf"], [], true],
    ["const o = { key: value, [computed]: 1, method() { return this.key } }", ["value", "computed"], ["o"], false],
    ["const k = obj[key]", ["obj", "key"], ["k"], false],
    // Expression cells.
    ["1 + 2", [], [], true],
    ["Plot.plot({ marks: [Plot.dot(points)] })", ["Plot", "points"], [], true],
    ["{ a: 1, b }", ["b"], [], true],
    ["x;", ["x"], [], true],
    // Top-level await.
    ["await fetch(url)", ["fetch", "url"], [], true],
    ["const data = await load()", ["load"], ["data"], false],
    ["for await (const batch of batches) consume(batch)", ["batches", "consume"], [], false],
    // Cell builtins are not inputs, and a bare display call is not an expression cell.
    ["display(chart)", ["chart"], [], false],
    ["display(1); display(2)", [], [], false],
    ["invalidation.then(stop)", ["stop"], [], true],
    ["const timer = setInterval(tick, 1000)", ["tick"], ["timer"], false],
    // Imported names are local to the cell.
    ["import { a, b as c } from 'lib'; const d = a + c + e", ["e"], ["d"], false],
    ["import * as tf from '@tensorflow/tfjs'; tf.tensor([1, 2])", [], [], true],
  ];

  it.each(cases)("%s", (source, inputs, outputs, expression) => {
    const cell = compiled(source);
    expect(cell.inputs).toEqual(inputs);
    expect(cell.outputs).toEqual(outputs);
    expect(cell.expression).toBe(expression);
  });
});

describe("compileCell metadata", () => {
  it("lists the cell builtins a cell uses", () => {
    expect(compiled("display(x); invalidation.then(() => clearInterval(id))").builtins).toEqual([
      "display",
      "invalidation",
      "clearInterval",
    ]);
  });

  it("lists imports with their bindings", () => {
    const cell = compiled('import { a, b as c } from "lib"; import * as ns from "other"; import d from "third"; a');
    expect(cell.imports).toEqual([
      {
        specifier: "lib",
        bindings: [
          { kind: "named", imported: "a", local: "a" },
          { kind: "named", imported: "b", local: "c" },
        ],
      },
      { specifier: "other", bindings: [{ kind: "namespace", local: "ns" }] },
      { specifier: "third", bindings: [{ kind: "named", imported: "default", local: "d" }] },
    ]);
  });

  it("keeps the id", () => {
    expect(compiled("1").id).toBe("cell-1");
  });
});

describe("compileCell run", () => {
  it("returns declarations as outputs", async () => {
    const result = await compiled("const a = b * 2; function f() { return a }").run({ b: 21 });
    expect(result.outputs.get("a")).toBe(42);
    expect((result.outputs.get("f") as () => number)()).toBe(42);
    expect(result.value).toBeUndefined();
  });

  it("returns and awaits an expression's value", async () => {
    expect((await compiled("{ a: 1 }").run({})).value).toEqual({ a: 1 });
    expect((await compiled("Promise.resolve(5)").run({ Promise })).value).toBe(5);
  });

  it("keeps output promises unresolved", async () => {
    const result = await compiled("const later = Promise.resolve(3)").run({ Promise });
    expect(result.outputs.get("later")).toBeInstanceOf(Promise);
  });

  it("awaits at the top level", async () => {
    const result = await compiled("const v = await source").run({ source: Promise.resolve(7) });
    expect(result.outputs.get("v")).toBe(7);
  });

  it("receives builtins and imports through the scope", async () => {
    const displayed: unknown[] = [];
    const cell = compiled("import { k } from 'lib'; display(k + 1)");
    await cell.run({ display: (value: unknown) => displayed.push(value), k: 2 });
    expect(displayed).toEqual([3]);
  });

  it("runs in strict mode", async () => {
    await expect(compiled("const f = function () { return this }; const t = f()").run({})).resolves.toMatchObject({
      outputs: new Map([["f", expect.any(Function)], ["t", undefined]]),
    });
  });

  it("rejects with what the body throws", async () => {
    await expect(compiled("throw new RangeError('too big')").run({ RangeError })).rejects.toThrow(RangeError);
  });
});

describe("compileCell errors", () => {
  it("reports a syntax error in notebook lines", () => {
    const error = compileError("const a = 1;\nconst = 2;", 10);
    expect(error.kind).toBe("syntax");
    expect(error.cellId).toBe("cell-1");
    expect(error.location).toEqual({ line: 11, column: 7, cellLine: 2, offset: 19 });
    expect(error.message).toBe("syntax error at line 11, column 7: Unexpected token");
  });

  it("reports a redeclared name", () => {
    expect(compileError("let a = 1; let a = 2").message).toMatch(/Identifier 'a' has already been declared/);
  });

  it("rejects export", () => {
    const error = compileError("export const a = 1", 4);
    expect(error.kind).toBe("syntax");
    expect(error.message).toMatch(/^invalid export at line 4, column 1/);
  });

  it("rejects declaring a cell builtin", () => {
    const error = compileError("const display = 1");
    expect(error.names).toEqual(["display"]);
    expect(error.message).toMatch(/^invalid declaration: display/);
  });

  it("rejects return at the top level", () => {
    expect(compileError("return 1").kind).toBe("syntax");
  });

  it("reports import.meta without a location", () => {
    const error = compileError("import.meta.url");
    expect(error.kind).toBe("syntax");
    expect(error.location).toBeUndefined();
  });
});
