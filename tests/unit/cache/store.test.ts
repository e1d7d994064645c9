import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { CacheStore, QuotaError, type CacheLookup, type CachedEntry, type KeyLocks } from "../../../src/runtime/cache/index.ts";
import { createTestCache, entry, openRaw, roundTripCases, type TestCache } from "./helpers.ts";

const opened: CacheStore[] = [];

async function openStore(cache: TestCache, options: Parameters<TestCache["open"]>[0] = {}): Promise<CacheStore> {
  const store = await cache.open(options);
  opened.push(store);
  return store;
}

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  vi.restoreAllMocks();
});

function hit(lookup: CacheLookup): CachedEntry {
  expect(lookup.status).toBe("hit");
  if (lookup.status !== "hit") throw new Error(`expected a hit, got ${lookup.status}`);
  return lookup.entry;
}

const CORRUPT_WARNING = 'cache entry for cell "train" in notebook "digits.md" is corrupt (checksum mismatch): deleted it, so the cell will be recomputed';

/** Serialises callbacks per lock name, as navigator.locks does for exclusive locks. */
class FakeLocks implements KeyLocks {
  readonly names: string[] = [];
  private readonly tails = new Map<string, Promise<unknown>>();

  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    this.names.push(name);
    const result = (this.tails.get(name) ?? Promise.resolve()).then(callback);
    this.tails.set(name, result.catch(() => undefined));
    return result;
  }
}

describe("CacheStore round trip", () => {
  it.each(roundTripCases())("keeps a $name", async ({ value }) => {
    const store = await openStore(createTestCache());
    await store.put(entry("key", new Map([["value", value]])));
    expect(hit(await store.get("key")).outputs.get("value")).toStrictEqual(value);
  });

  it("returns the metadata with the outputs", async () => {
    const cache = createTestCache();
    const store = await openStore(cache);
    const info = await store.put(entry("key", new Map([["weights", new Float32Array(1000)]])));
    const found = hit(await store.get("key"));
    expect(found).toMatchObject({ key: "key", notebook: "digits.md", cellId: "train", formatVersion: 1, libraryVersion: "0.1.0", createdAt: 1000, lastUsedAt: 1000 });
    expect(found.checksum).toBe(info.checksum);
    expect(found.sizeBytes).toBe(info.sizeBytes);
  });

  it("returns a miss for an unknown key", async () => {
    const store = await openStore(createTestCache());
    expect(await store.get("unknown")).toEqual({ status: "miss" });
  });
});

describe("CacheStore metadata", () => {
  async function threeEntries(cache: TestCache): Promise<CacheStore> {
    const store = await openStore(cache);
    await store.put(entry("a", new Map([["w", new Float32Array(1000)]]), { cellId: "embed" }));
    cache.clock.time = 2000;
    await store.put(entry("b", new Map([["w", new Float64Array(1000)]]), { cellId: "train" }));
    cache.clock.time = 3000;
    await store.put(entry("c", new Map([["w", new Uint8Array(100)]]), { notebook: "other.md", cellId: "train" }));
    return store;
  }

  it("lists sizes, times and cells, most recent first", async () => {
    const store = await threeEntries(createTestCache());
    const listed = await store.list();
    expect(listed.map((info) => [info.key, info.cellId, info.createdAt, info.lastUsedAt])).toEqual([
      ["c", "train", 3000, 3000],
      ["b", "train", 2000, 2000],
      ["a", "embed", 1000, 1000],
    ]);
    const payloads = [100, 8000, 4000];
    listed.forEach((info, index) => {
      expect(info.sizeBytes, info.key).toBeGreaterThanOrEqual(payloads[index]!);
      expect(info.sizeBytes, info.key).toBeLessThan(payloads[index]! + 200);
    });
    expect(await store.usage()).toBe(listed.reduce((total, info) => total + info.sizeBytes, 0));
  });

  it("filters the list by notebook and cell", async () => {
    const store = await threeEntries(createTestCache());
    expect((await store.list("digits.md")).map((info) => info.key)).toEqual(["b", "a"]);
    expect((await store.list("digits.md", "train")).map((info) => info.key)).toEqual(["b"]);
    expect((await store.list(undefined, "train")).map((info) => info.key)).toEqual(["c", "b"]);
  });

  it("touch moves lastUsedAt only", async () => {
    const cache = createTestCache();
    const store = await threeEntries(cache);
    cache.clock.time = 4000;
    expect(await store.touch("a")).toBe(true);
    expect(await store.touch("missing")).toBe(false);
    const [first] = await store.list();
    expect(first).toMatchObject({ key: "a", createdAt: 1000, lastUsedAt: 4000 });
  });

  it("evicts least recently used first", async () => {
    const cache = createTestCache();
    const store = await threeEntries(cache);
    cache.clock.time = 4000;
    await store.touch("a");
    const sizes = Object.fromEntries((await store.list()).map((info) => [info.key, info.sizeBytes]));

    expect(await store.evictLeastRecentlyUsed(0)).toEqual([]);
    // b alone frees too little, so c, the next least recently used, goes too.
    const removed = await store.evictLeastRecentlyUsed(sizes.b! + 1);
    expect(removed.map((info) => info.key)).toEqual(["b", "c"]);
    expect((await store.list()).map((info) => info.key)).toEqual(["a"]);
    expect(await store.get("b")).toEqual({ status: "miss" });
    expect(await store.usage()).toBe(sizes.a);
  });

  it("evicts everything for more bytes than stored", async () => {
    const store = await threeEntries(createTestCache());
    expect(await store.evictLeastRecentlyUsed(1e12)).toHaveLength(3);
    expect(await store.list()).toEqual([]);
  });

  it("rejects an invalid byte count", async () => {
    const store = await openStore(createTestCache());
    await expect(store.evictLeastRecentlyUsed(-1)).rejects.toThrow("invalid bytes to free: -1 (expected a non-negative number of bytes)");
  });

  it("deletes one entry or a notebook", async () => {
    const store = await threeEntries(createTestCache());
    expect(await store.delete("c")).toBe(true);
    expect(await store.delete("c")).toBe(false);
    expect((await store.deleteNotebook("digits.md")).map((info) => info.key).sort()).toEqual(["a", "b"]);
    expect(await store.list()).toEqual([]);
    expect(await store.usage()).toBe(0);
  });
});

describe("CacheStore corruption", () => {
  it("deletes an entry whose bytes changed and warns once", async () => {
    const cache = createTestCache();
    const store = await openStore(cache);
    await store.put(entry("key", new Map([["weights", new Float32Array([1, 2, 3])]])));

    const raw = await openRaw(cache.factory);
    const stored = await raw.get("outputs", "key");
    stored.outputs[0].value[1] = 20;
    await raw.put("outputs", stored);
    raw.close();

    expect(await store.get("key")).toEqual({ status: "corrupt", reason: "checksum mismatch" });
    expect(await store.get("key")).toEqual({ status: "miss" });
    expect(await store.list()).toEqual([]);
    expect(cache.warnings.count(CORRUPT_WARNING)).toBe(1);
    expect(cache.warnings.total).toBe(1);
    expect(cache.sunk).toEqual([CORRUPT_WARNING]);
  });

  it("prints a repeated warning once and counts it", async () => {
    const cache = createTestCache();
    const store = await openStore(cache);
    for (const key of ["first", "second"]) await store.put(entry(key, new Map([["x", [1]]])));
    const raw = await openRaw(cache.factory);
    for (const key of ["first", "second"]) {
      const stored = await raw.get("outputs", key);
      stored.outputs[0].value[0] = 2;
      await raw.put("outputs", stored);
    }
    raw.close();

    expect((await store.get("first")).status).toBe("corrupt");
    expect((await store.get("second")).status).toBe("corrupt");
    expect(cache.warnings.count(CORRUPT_WARNING)).toBe(2);
    expect(cache.sunk).toEqual([CORRUPT_WARNING]);
  });

  it("reports metadata without outputs", async () => {
    const cache = createTestCache();
    const store = await openStore(cache);
    await store.put(entry("key", new Map([["x", 1]])));
    const raw = await openRaw(cache.factory);
    await raw.delete("outputs", "key");
    raw.close();

    expect(await store.get("key")).toEqual({ status: "corrupt", reason: "metadata without outputs" });
    expect(await store.list()).toEqual([]);
  });

  it("reports an entry whose codec is gone", async () => {
    const cache = createTestCache();
    const writer = await openStore(cache);
    await writer.put(entry("key", new Map([["weights", roundTripCases().find((item) => item.name === "tensor")!.value]])));
    const reader = await openStore(cache, { codecs: [] });

    expect(await reader.get("key")).toEqual({
      status: "corrupt",
      reason: 'undecodable outputs: codec not found: "tensor" at output "weights" (register the codec that wrote this entry, or delete the entry)',
    });
    expect(await reader.list()).toEqual([]);
    expect(cache.warnings.total).toBe(1);
  });
});

describe("CacheStore versions", () => {
  it("reports a new database, then an existing one", async () => {
    const cache = createTestCache();
    const first = await openStore(cache);
    expect(first.openStatus).toEqual({ status: "created" });
    first.close();
    expect((await openStore(cache)).openStatus).toEqual({ status: "ready" });
  });

  it.each([
    [0, "cache format 0 is older than 1: entries will be recomputed"],
    [2, "cache format 2 is newer than 1: entries will be recomputed"],
  ])("clears entries of format %i", async (formatVersion, reason) => {
    const cache = createTestCache();
    const old = await openStore(cache, { formatVersion });
    await old.put(entry("key", new Map([["x", 1]])));
    old.close();

    const current = await openStore(cache);
    expect(current.openStatus).toEqual({ status: "cleared", reason });
    expect(await current.list()).toEqual([]);
    expect(await current.get("key")).toEqual({ status: "miss" });
    await current.put(entry("key", new Map([["x", 2]])));
    expect(hit(await current.get("key")).outputs.get("x")).toBe(2);
  });

  it("rebuilds a database of another layout", async () => {
    const cache = createTestCache();
    const raw = await openRaw(cache.factory, 1, (db) => db.createObjectStore("values").put({ stale: true }, "key"));
    raw.close();

    const store = await openStore(cache);
    expect(store.openStatus).toEqual({ status: "cleared", reason: "cache database at schema 1 lacks the object stores of schema 1: entries will be recomputed" });
    expect(await store.get("key")).toEqual({ status: "miss" });
    await store.put(entry("key", new Map([["x", 1]])));
    store.close();
    expect((await openStore(cache)).openStatus).toEqual({ status: "ready" });
  });

  it("keeps entries when a newer schema version has this layout", async () => {
    const cache = createTestCache();
    const store = await openStore(cache);
    await store.put(entry("key", new Map([["x", 1]])));
    store.close();
    (await openRaw(cache.factory, 5)).close();

    const reopened = await openStore(cache);
    expect(reopened.openStatus).toEqual({ status: "ready" });
    expect(hit(await reopened.get("key")).outputs.get("x")).toBe(1);
  });

  it("rebuilds a newer schema version of another layout", async () => {
    const cache = createTestCache();
    (await openStore(cache)).close();
    (await openRaw(cache.factory, 5, (db) => db.deleteObjectStore("meta"))).close();

    const store = await openStore(cache);
    expect(store.openStatus).toEqual({ status: "cleared", reason: "cache database at schema 5 lacks the object stores of schema 1: entries will be recomputed" });
    expect(await store.list()).toEqual([]);
  });

  it("misses an entry that a tab of another format wrote", async () => {
    const cache = createTestCache();
    const current = await openStore(cache);
    const other = await openStore(cache, { formatVersion: 2 });
    await other.put(entry("key", new Map([["x", 1]])));

    expect(await current.get("key")).toEqual({ status: "miss" });
    expect(await other.list()).toEqual([]);
  });

  it("closes when another tab upgrades the database", async () => {
    const cache = createTestCache();
    const store = await openStore(cache);
    (await openRaw(cache.factory, 2)).close();

    await expect(store.get("key")).rejects.toThrow(
      "cache store is closed: another tab upgraded or deleted the cache database (open a new CacheStore, or reload the page)",
    );
    expect(cache.warnings.count("cache disabled: another tab upgraded or deleted the cache database. Reload the page to use the cache again.")).toBe(1);
  });

  it("rejects calls after close", async () => {
    const store = await openStore(createTestCache());
    store.close();
    await expect(store.list()).rejects.toThrow("cache store is closed: close() was called");
  });
});

describe("CacheStore failed writes", () => {
  const original = IDBObjectStore.prototype.put;

  function failOutputsPut(fail: (store: IDBObjectStore, request: () => IDBRequest) => IDBRequest): void {
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const request = () => original.call(this, value, key);
      return this.name === "outputs" ? fail(this, request) : request();
    });
  }

  it("raises QuotaError and stores nothing", async () => {
    const store = await openStore(createTestCache());
    failOutputsPut(() => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });

    const error = await store.put(entry("key", new Map([["weights", new Float32Array(1_000_000)]]))).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(QuotaError);
    const quota = error as QuotaError;
    expect(quota.bytesNeeded).toBeGreaterThanOrEqual(4_000_000);
    expect(quota.message).toBe(
      'failed to cache the result of cell "train": the storage quota is full and the entry needs about 4.0 MB. ' +
        "Free space by deleting cached results in the storage panel (or evictLeastRecentlyUsed), then run the cell again.",
    );
    expect((quota.cause as DOMException).name).toBe("QuotaExceededError");

    vi.restoreAllMocks();
    expect(await store.get("key")).toEqual({ status: "miss" });
    expect(await store.list()).toEqual([]);
    expect(await store.usage()).toBe(0);
  });

  it("keeps the previous entry when a replacement exceeds the quota", async () => {
    const store = await openStore(createTestCache());
    await store.put(entry("key", new Map([["version", 1]])));
    failOutputsPut(() => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });

    await expect(store.put(entry("key", new Map([["version", 2]])))).rejects.toBeInstanceOf(QuotaError);
    vi.restoreAllMocks();
    expect(hit(await store.get("key")).outputs.get("version")).toBe(1);
  });

  it("stores nothing when the transaction aborts", async () => {
    const store = await openStore(createTestCache());
    failOutputsPut((objectStore, request) => {
      const pending = request();
      objectStore.transaction.abort();
      return pending;
    });

    await expect(store.put(entry("key", new Map([["x", 1]])))).rejects.toThrow('failed to cache the result of cell "train": ');
    vi.restoreAllMocks();
    expect(await store.get("key")).toEqual({ status: "miss" });
    expect(await store.list()).toEqual([]);
  });
});

describe("CacheStore in two tabs", () => {
  it("keeps one whole entry when both put one key", async () => {
    const cache = createTestCache();
    const tabs = [await openStore(cache), await openStore(cache)];
    for (let round = 0; round < 5; round += 1) {
      const key = `key ${round}`;
      await Promise.all(
        tabs.map((tab, index) =>
          tab.put(entry(key, new Map<string, unknown>([["weights", new Float32Array(100_000).fill(index)], ["tab", String(index)]]), { libraryVersion: String(index) })),
        ),
      );
      const found = hit(await tabs[round % 2]!.get(key));
      const tab = found.outputs.get("tab");
      expect(found.libraryVersion).toBe(tab);
      expect(found.outputs.get("weights")).toStrictEqual(new Float32Array(100_000).fill(Number(tab)));
    }
    expect(await tabs[0]!.list()).toHaveLength(5);
  });

  it("makes the second tab wait for the first's result", async () => {
    const cache = createTestCache();
    const locks = new FakeLocks();
    const tabs = [await openStore(cache, { locks }), await openStore(cache, { locks })];
    let computed = 0;
    const run = (tab: CacheStore) =>
      tab.withKeyLock("key", async () => {
        const lookup = await tab.get("key");
        if (lookup.status === "hit") return lookup.entry.outputs.get("x");
        computed += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        await tab.put(entry("key", new Map([["x", 42]])));
        return 42;
      });

    expect(await Promise.all(tabs.map(run))).toEqual([42, 42]);
    expect(computed).toBe(1);
    expect(locks.names).toEqual(["test-cache key", "test-cache key"]);
  });

  it("runs unlocked without Web Locks", async () => {
    const store = await openStore(createTestCache(), { locks: undefined });
    // Node 20 has no navigator global, so no Web Locks.
    expect((globalThis as { navigator?: { locks?: unknown } }).navigator?.locks).toBeUndefined();
    expect(await store.withKeyLock("key", () => 7)).toBe(7);
  });

  it("accepts navigator.locks as KeyLocks", () => {
    expectTypeOf<LockManager>().toExtend<KeyLocks>();
  });
});
