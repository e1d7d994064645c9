import { afterEach, describe, expect, it } from "vitest";
import { delay, disposeNotebooks, gate, Resource, startNotebook } from "./harness.ts";

afterEach(disposeNotebooks);

/** Builtins that hand out Resources and keep them, so tests can read their dispose counts. */
function resources() {
  const created: Resource[] = [];
  const make = (label = `r${created.length}`) => {
    const resource = new Resource(label);
    created.push(resource);
    return resource;
  };
  const counts = () => created.map((resource) => resource.disposeCount);
  return { counts, builtins: { make } };
}

describe("disposal of created values", () => {
  it.each([
    ["an output", "const r = make()"],
    ["a destructured output", "const { r } = { r: make() }"],
    ["an expression value", "make()"],
    ["a displayed value", "display(make())"],
    ["an output that is also displayed", "const r = display(make())"],
    ["an output promise", "const r = Promise.resolve(make())"],
  ])("disposes %s once on re-run and once on removal", async (_name, source) => {
    const { counts, builtins } = resources();
    const { runtime } = startNotebook({ a: source }, { builtins });
    await runtime.settled();
    expect(counts()).toEqual([0]);

    runtime.updateCell("a", source);
    await runtime.settled();
    expect(counts()).toEqual([1, 0]);

    runtime.removeCell("a");
    await runtime.settled();
    expect(counts()).toEqual([1, 1]);
  });

  it("calls destroy when there is no dispose", async () => {
    let destroyed = 0;
    const { runtime } = startNotebook({ a: "const chart = makeChart()" }, { builtins: { makeChart: () => ({ destroy: () => destroyed++ }) } });
    await runtime.settled();
    runtime.removeCell("a");
    expect(destroyed).toBe(1);
  });

  it("disposes when an input change re-runs the cell", async () => {
    const { counts, builtins } = resources();
    const { runtime } = startNotebook({ size: "const size = 1", model: "const model = make(`model ${size}`)" }, { builtins });
    await runtime.settled();
    runtime.updateCell("size", "const size = 2");
    await runtime.settled();
    expect(counts()).toEqual([1, 0]);
  });

  it("disposes on runtime dispose", async () => {
    const { counts, builtins } = resources();
    const { runtime } = startNotebook({ a: "const r = make()" }, { builtins });
    await runtime.settled();
    runtime.dispose();
    expect(counts()).toEqual([1]);
  });

  it("disposes superseded run's late outputs", async () => {
    const { counts, builtins } = resources();
    const slow = gate();
    const { runtime, value } = startNotebook({ a: "const r = make(); await hold()" }, { builtins: { ...builtins, hold: () => slow.promise } });
    await delay(10);
    runtime.updateCell("a", "const r = 'replaced'");
    await runtime.settled();
    expect(value("a", "r")).toBe("replaced");
    expect(counts()).toEqual([0]);

    slow.open();
    await delay(10);
    expect(counts()).toEqual([1]);
  });
});

describe("disposal of borrowed values", () => {
  it("keeps value passed through input", async () => {
    const { counts, builtins } = resources();
    const users = { alias: "const same = model", shown: "display(model)", expression: "model" };
    const { runtime } = startNotebook({ owner: "const model = make()", ...users }, { builtins });
    await runtime.settled();
    for (const [id, source] of Object.entries(users)) runtime.updateCell(id, source);
    await runtime.settled();
    expect(counts()).toEqual([0]);

    for (const id of Object.keys(users)) runtime.removeCell(id);
    await runtime.settled();
    expect(counts()).toEqual([0]);

    runtime.updateCell("owner", "const model = make()");
    await runtime.settled();
    expect(counts()).toEqual([1, 0]);
  });

  it("keeps value taken out of input", async () => {
    const { counts, builtins } = resources();
    const { runtime } = startNotebook(
      { owner: "const trained = { model: make(), history: [make()] }", user: "const { model } = trained; const [first] = trained.history" },
      { builtins },
    );
    await runtime.settled();
    runtime.removeCell("user");
    expect(counts()).toEqual([0, 0]);
  });

  it("keeps imported value", async () => {
    const shared = new Resource("shared");
    const { runtime } = startNotebook({ a: "import { backbone } from 'lib'; const b = backbone" }, { library: { lib: { backbone: shared } } });
    await runtime.settled();
    runtime.removeCell("a");
    expect(shared.disposeCount).toBe(0);
  });

  it("keeps builtin value", async () => {
    const shared = new Resource("shared");
    const { runtime } = startNotebook({ a: "const b = base", c: "base" }, { builtins: { base: shared } });
    await runtime.settled();
    runtime.removeCell("a");
    runtime.removeCell("c");
    expect(shared.disposeCount).toBe(0);
  });
});

describe("invalidation and timers", () => {
  it("resolves invalidation on re-run, removal", async () => {
    const log: string[] = [];
    // Two statements: as a whole-cell expression the promise would be the cell's value, pending until invalidation.
    const { runtime } = startNotebook({ a: "const label = 'invalidated'; invalidation.then(() => note(label))" }, { builtins: { note: (text: string) => log.push(text) } });
    await runtime.settled();
    runtime.updateCell("a", "const label = 'second invalidated'; invalidation.then(() => note(label))");
    await runtime.settled();
    expect(log).toEqual(["invalidated"]);

    runtime.removeCell("a");
    await delay(0);
    expect(log).toEqual(["invalidated", "second invalidated"]);
  });

  it("clears intervals on removal", async () => {
    const ticks = { count: 0 };
    const { runtime } = startNotebook({ a: "setInterval(() => ticks.count++, 2)" }, { builtins: { ticks } });
    await runtime.settled();
    await delay(20);
    expect(ticks.count).toBeGreaterThan(0);

    runtime.removeCell("a");
    const stopped = ticks.count;
    await delay(20);
    expect(ticks.count).toBe(stopped);
  });

  it("clears timeouts on re-run", async () => {
    const fired: string[] = [];
    const { runtime } = startNotebook({ a: "setTimeout(() => fire('first'), 20)" }, { builtins: { fire: (label: string) => fired.push(label) } });
    await runtime.settled();
    runtime.updateCell("a", "setTimeout(() => fire('second'), 20)");
    await runtime.settled();
    await delay(50);
    expect(fired).toEqual(["second"]);
  });

  it("stops loop sleeping on cell timer", async () => {
    const ticks = { count: 0 };
    const { runtime } = startNotebook(
      { a: "{ (async () => { for (;;) { ticks.count++; await new Promise((resolve) => setTimeout(resolve, 2)); } })(); }" },
      { builtins: { ticks } },
    );
    await runtime.settled();
    await delay(20);
    runtime.removeCell("a");
    const stopped = ticks.count;
    await delay(20);
    expect(stopped).toBeGreaterThan(1);
    expect(ticks.count).toBe(stopped);
  });

  it("lets a cell clear its own timer", async () => {
    const fired: string[] = [];
    const { runtime } = startNotebook({ a: "const id = setTimeout(() => fire('late'), 10); clearTimeout(id)" }, { builtins: { fire: (label: string) => fired.push(label) } });
    await runtime.settled();
    await delay(30);
    expect(fired).toEqual([]);
  });

  it("ends a running generator on re-run", async () => {
    const log: string[] = [];
    // The generator sleeps on a test timer: the cell's own setTimeout is cleared on invalidation,
    // which would leave it suspended in `await` so that its finally block never runs.
    const source = "const ticks = (async function* () { try { for (let i = 0; ; i++) { yield i; await sleep(5); } } finally { note('ended') } })()";
    const sleep = (milliseconds: number) => delay(milliseconds);
    const { runtime } = startNotebook({ a: source }, { builtins: { note: (text: string) => log.push(text), sleep } });
    await delay(30);
    runtime.updateCell("a", "const ticks = 0");
    await runtime.settled();
    await delay(20);
    expect(log).toEqual(["ended"]);
  });

  it("ends a running generator on removal", async () => {
    const log: string[] = [];
    const { runtime } = startNotebook(
      { a: "const ticks = (function* () { try { for (let i = 0; ; i++) yield i; } finally { note('ended') } })()" },
      { builtins: { note: (text: string) => log.push(text) } },
    );
    await delay(20);
    runtime.removeCell("a");
    await runtime.settled();
    expect(log).toEqual(["ended"]);
  });
});
