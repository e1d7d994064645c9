import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { CacheStore } from "../../../src/runtime/cache/index.ts";
import type { CellDefinition } from "../../../src/runtime/runtime.ts";
import { startNotebook } from "./harness.ts";

/** Counts how often cell bodies really computed, across runtimes in one test. */
const calls = { square: 0, epochs: 0 };
let factory: IDBFactory;
let stores: CacheStore[] = [];

beforeEach(() => {
  factory = new IDBFactory();
  calls.square = 0;
  calls.epochs = 0;
});

afterEach(() => {
  for (const store of stores) store.close();
  stores = [];
});

async function cacheOptions() {
  const store = await CacheStore.open({ indexedDB: factory, locks: null });
  stores.push(store);
  return { store, notebook: "test.md", libraryVersion: "1.0.0" };
}

const cached = { cache: true } as const;

/** Cells count their real computations through an import, which is not part of a cache key. */
const library = { counter: { count: (name: keyof typeof calls) => (calls[name] += 1) } };

function cells(base: number): CellDefinition[] {
  return [
    { id: "base", source: `const base = ${base};` },
    { id: "square", source: 'import { count } from "counter";\nconst square = (count("square"), base * base);', options: cached },
    { id: "shown", source: "const shown = square + 1;" },
  ];
}

describe("cell cache", () => {
  test("restores a stored result without running the cell", async () => {
    const first = startNotebook(cells(3), { cache: await cacheOptions(), library });
    await first.runtime.settled();
    expect(first.value("shown", "shown")).toBe(10);
    expect(first.runtime.cellState("square").cache?.status).toBe("computed");
    expect(first.runtime.cellState("square").cache?.reason).toContain("first run");
    first.runtime.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const second = startNotebook(cells(3), { cache: await cacheOptions(), library });
    await second.runtime.settled();
    expect(second.value("shown", "shown")).toBe(10);
    expect(calls.square).toBe(1);
    expect(second.runtime.runCount("square")).toBe(0);
    expect(second.runtime.cellState("square").cache?.status).toBe("restored");
  });

  test("names the input that changed", async () => {
    const first = startNotebook(cells(3), { cache: await cacheOptions(), library });
    await first.runtime.settled();
    first.runtime.updateCell("base", "const base = 4;");
    await first.runtime.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.value("shown", "shown")).toBe(17);
    expect(first.runtime.cellState("square").cache?.reason).toContain('input "base" changed');
  });

  test("switching back is a cache hit", async () => {
    const first = startNotebook(cells(3), { cache: await cacheOptions(), library });
    await first.runtime.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.runtime.updateCell("base", "const base = 4;");
    await first.runtime.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.runtime.updateCell("base", "const base = 3;");
    await first.runtime.settled();
    expect(first.value("shown", "shown")).toBe(10);
    expect(calls.square).toBe(2);
    expect(first.runtime.cellState("square").cache?.status).toBe("restored");
  });

  test("names a source change", async () => {
    const first = startNotebook(cells(3), { cache: await cacheOptions(), library });
    await first.runtime.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.runtime.updateCell("square", 'import { count } from "counter";\nconst square = (count("square"), base * base * 1);');
    await first.runtime.settled();
    expect(first.runtime.cellState("square").cache?.reason).toContain("source changed");
  });

  test("uncached cells always run", async () => {
    const notebook = cells(3).map((cell) => (cell.id === "square" ? { ...cell, options: {} } : cell));
    const first = startNotebook(notebook, { cache: await cacheOptions(), library });
    await first.runtime.settled();
    first.runtime.dispose();
    const second = startNotebook(notebook, { cache: await cacheOptions(), library });
    await second.runtime.settled();
    expect(calls.square).toBe(2);
    expect(second.runtime.cellState("square").cache).toBeNull();
  });

  test("unhashable input runs and says why", async () => {
    const notebook: CellDefinition[] = [
      { id: "f", source: "const f = () => 1;" },
      { id: "g", source: "const g = f();", options: cached },
    ];
    const first = startNotebook(notebook, { cache: await cacheOptions() });
    await first.runtime.settled();
    expect(first.value("g", "g")).toBe(1);
    expect(first.runtime.cellState("g").cache?.status).toBe("uncached");
    expect(first.runtime.cellState("g").cache?.reason).toContain('input "f"');
  });
});

describe("generator cells in the cache", () => {
  /** Yields 0..3, counting each computed value; resumable after recorded values. */
  const generatorSource = `
import { count } from "counter";
const stream = (() => {
  function* epochsFrom(start) { for (let i = start; i < 4; i++) { count("epochs"); yield i; } }
  return Object.assign(epochsFrom(0), { [Symbol.for("carryover.resume")]: (recorded) => epochsFrom(recorded.at(-1) + 1) });
})();`;

  const notebook: CellDefinition[] = [
    { id: "stream", source: generatorSource, options: cached },
    { id: "seen", source: "const seen = stream;" },
  ];

  test("replays the whole sequence", async () => {
    const first = startNotebook(notebook, { cache: await cacheOptions(), library });
    await first.runtime.settled();
    expect(first.valuesOf("seen", "seen")).toEqual([0, 1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.runtime.dispose();

    const second = startNotebook(notebook, { cache: await cacheOptions(), library });
    await second.runtime.settled();
    expect(second.valuesOf("seen", "seen")).toEqual([0, 1, 2, 3]);
    expect(calls.epochs).toBe(4);
    expect(second.runtime.cellState("stream").cache?.status).toBe("restored");
  });

  test("resumes an interrupted sequence", async () => {
    const options = await cacheOptions();
    // An earlier page stored two values, then closed before the generator finished.
    const { computeKey, SequenceRecord, CACHE_FORMAT_VERSION } = await import("../../../src/runtime/cache/index.ts");
    const { key, ingredients } = await computeKey({ source: generatorSource, inputs: {}, libraryVersion: "1.0.0", formatVersion: CACHE_FORMAT_VERSION });
    await options.store.put({ key, notebook: "test.md", cellId: "stream", outputs: new Map([["stream", new SequenceRecord([0, 1], false)]]), libraryVersion: "1.0.0", ingredients });

    const second = startNotebook(notebook, { cache: options, library });
    await second.runtime.settled();
    expect(second.valuesOf("seen", "seen")).toEqual([0, 1, 2, 3]);
    expect(calls.epochs).toBe(2);
    expect(second.runtime.cellState("stream").cache?.status).toBe("resumed");
  });
});
