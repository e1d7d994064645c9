import { createRandom } from "../src/cells/random.ts";
import { CACHE_FORMAT_VERSION, CacheStore, checksumOutputs, computeKey, decodeOutputs, encodeOutputs } from "../src/runtime/cache/index.ts";

export interface CacheBenchRequest {
  /** Size of the Float32Array, in MiB (2^20 bytes). */
  mebibytes: number;
  repeats: number;
  seed: number;
}

/** Median times over the repeats for one array size, in milliseconds. */
export interface CacheBenchResult {
  mebibytes: number;
  repeats: number;
  /** `computeKey` with the array as the cell's only input. */
  keyMs: number;
  oursWriteMs: number;
  oursReadMs: number;
  rawWriteMs: number;
  rawReadMs: number;
  /** The parts of `put` and `get` outside IndexedDB, timed on their own with the same outputs. */
  encodeMs: number;
  checksumMs: number;
  decodeMs: number;
}

const OURS_DB = "carryover-bench-cache";
const RAW_DB = "carryover-bench-raw";
const RAW_STORE = "buffers";

let ours: CacheStore | undefined;
let raw: IDBDatabase | undefined;

function request<T>(pending: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    pending.onsuccess = () => resolve(pending.result);
    pending.onerror = () => reject(pending.error);
  });
}

function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction was aborted"));
  });
}

function openRaw(): Promise<IDBDatabase> {
  const opening = indexedDB.open(RAW_DB, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(RAW_STORE);
  return request(opening);
}

async function rawPut(db: IDBDatabase, key: string, buffer: ArrayBuffer): Promise<void> {
  const tx = db.transaction(RAW_STORE, "readwrite");
  tx.objectStore(RAW_STORE).put(buffer, key);
  await completion(tx);
}

async function rawGet(db: IDBDatabase, key: string): Promise<ArrayBuffer> {
  const tx = db.transaction(RAW_STORE, "readonly");
  const [value] = await Promise.all([request(tx.objectStore(RAW_STORE).get(key)), completion(tx)]);
  if (!(value instanceof ArrayBuffer)) throw new Error(`raw IndexedDB read of ${key} returned ${typeof value} (expected an ArrayBuffer)`);
  return value;
}

async function rawDelete(db: IDBDatabase, key: string): Promise<void> {
  const tx = db.transaction(RAW_STORE, "readwrite");
  tx.objectStore(RAW_STORE).delete(key);
  await completion(tx);
}

function randomFloats(mebibytes: number, seed: number): Float32Array<ArrayBuffer> {
  const random = createRandom(seed);
  const values = new Float32Array((mebibytes * 2 ** 20) / Float32Array.BYTES_PER_ELEMENT);
  for (let index = 0; index < values.length; index += 1) values[index] = random();
  return values;
}

async function timed<T>(action: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await action();
  return [performance.now() - start, value];
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function checkSame(label: string, expected: Float32Array, actual: unknown): void {
  const values = actual instanceof ArrayBuffer ? new Float32Array(actual) : actual;
  if (!(values instanceof Float32Array) || values.length !== expected.length || values[0] !== expected[0] || values.at(-1) !== expected.at(-1)) {
    throw new Error(`${label} read back different data than it wrote (expected a Float32Array of ${expected.length} values)`);
  }
}

async function run({ mebibytes, repeats, seed }: CacheBenchRequest): Promise<CacheBenchResult> {
  ours ??= await CacheStore.open({ name: OURS_DB });
  raw ??= await openRaw();
  const store = ours;
  const db = raw;
  const values = randomFloats(mebibytes, seed);
  const outputs = new Map([["values", values]]);
  const times: Record<Exclude<keyof CacheBenchResult, "mebibytes" | "repeats">, number[]> = {
    keyMs: [],
    oursWriteMs: [],
    oursReadMs: [],
    rawWriteMs: [],
    rawReadMs: [],
    encodeMs: [],
    checksumMs: [],
    decodeMs: [],
  };

  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const source = `const values = bench(${mebibytes}, ${repeat});`;
    const [keyMs, { key, ingredients }] = await timed(() => computeKey({ source, inputs: { values }, libraryVersion: "bench", formatVersion: CACHE_FORMAT_VERSION }));
    times.keyMs.push(keyMs);

    const oursStep = async () => {
      const entry = { key, notebook: "bench", cellId: "values", outputs, libraryVersion: "bench", ingredients };
      const [writeMs] = await timed(() => store.put(entry));
      const [readMs, found] = await timed(() => store.get(key));
      if (found.status !== "hit") throw new Error(`cache read of ${mebibytes} MiB returned ${found.status} (expected a hit right after put)`);
      checkSame("CacheStore", values, found.entry.outputs.get("values"));
      times.oursWriteMs.push(writeMs);
      times.oursReadMs.push(readMs);
      await store.delete(key);
    };
    const rawStep = async () => {
      const [writeMs] = await timed(() => rawPut(db, key, values.buffer));
      const [readMs, buffer] = await timed(() => rawGet(db, key));
      checkSame("raw IndexedDB", values, buffer);
      times.rawWriteMs.push(writeMs);
      times.rawReadMs.push(readMs);
      await rawDelete(db, key);
    };
    // Alternating which goes first spreads drift in the machine's load over both.
    if (repeat % 2 === 0) {
      await oursStep();
      await rawStep();
    } else {
      await rawStep();
      await oursStep();
    }

    const [encodeMs, encoded] = await timed(() => encodeOutputs(outputs));
    const [checksumMs] = await timed(() => checksumOutputs(encoded));
    const [decodeMs] = await timed(async () => decodeOutputs(encoded));
    times.encodeMs.push(encodeMs);
    times.checksumMs.push(checksumMs);
    times.decodeMs.push(decodeMs);
  }

  const medians = Object.fromEntries(Object.entries(times).map(([name, samples]) => [name, median(samples)]));
  return { mebibytes, repeats, ...(medians as Omit<CacheBenchResult, "mebibytes" | "repeats">) };
}

async function deleteDatabase(name: string): Promise<void> {
  const deleting = indexedDB.deleteDatabase(name);
  deleting.onblocked = () => console.warn(`deleting ${name} is waiting for another tab to close it`);
  await request(deleting);
}

async function cleanUp(): Promise<void> {
  ours?.close();
  raw?.close();
  ours = undefined;
  raw = undefined;
  await deleteDatabase(OURS_DB);
  await deleteDatabase(RAW_DB);
}

declare global {
  interface Window {
    benchCache?: (request: CacheBenchRequest) => Promise<CacheBenchResult>;
    benchCacheCleanUp?: () => Promise<void>;
  }
}

window.benchCache = run;
window.benchCacheCleanUp = cleanUp;
