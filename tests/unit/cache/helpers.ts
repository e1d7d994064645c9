// fake-indexeddb/auto installs IDBDatabase and the other IndexedDB classes as globals, which idb's wrappers need.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { wrap, type IDBPDatabase } from "idb";
import { CacheStore, SequenceRecord, Warnings, type CacheStoreOptions, type HashAdapter, type KeyIngredients, type NewCacheEntry, type OutputCodec } from "../../../src/runtime/cache/index.ts";

/** Stands for tf.Tensor: a class instance that structured clone would flatten into a plain object. */
export class FakeTensor {
  readonly dtype: "float32" | "int32";
  readonly shape: readonly number[];
  private readonly values: Float32Array | Int32Array;

  constructor(values: Float32Array | Int32Array, shape: readonly number[]) {
    this.dtype = values instanceof Float32Array ? "float32" : "int32";
    this.values = values;
    this.shape = shape;
  }

  async data(): Promise<Float32Array | Int32Array> {
    return this.values.slice();
  }

  dataSync(): Float32Array | Int32Array {
    return this.values;
  }
}

export const tensorAdapter: HashAdapter = {
  test: (value) => value instanceof FakeTensor,
  describe: async (value) => {
    const tensor = value as FakeTensor;
    return { dtype: tensor.dtype, shape: tensor.shape, data: await tensor.data() };
  },
};

export const tensorCodec: OutputCodec = {
  name: "tensor",
  test: (value) => value instanceof FakeTensor,
  encode: async (value) => {
    const tensor = value as FakeTensor;
    return { shape: [...tensor.shape], data: await tensor.data() };
  },
  decode: (data) => {
    const { shape, data: values } = data as { shape: number[]; data: Float32Array | Int32Array };
    return new FakeTensor(values, shape);
  },
};

export const ingredients: KeyIngredients = {
  source: "0".repeat(32),
  inputs: { x: "1".repeat(32) },
  libraryVersion: "2".repeat(32),
  formatVersion: "3".repeat(32),
  backend: null,
};

export function entry(key: string, outputs: Map<string, unknown>, overrides: Partial<NewCacheEntry> = {}): NewCacheEntry {
  return { key, notebook: "digits.md", cellId: "train", outputs, libraryVersion: "0.1.0", ingredients, ...overrides };
}

/** A clock that tests move by hand, in milliseconds. */
export class ManualClock {
  time = 1_000;
  readonly now = (): number => this.time;
}

export interface TestCache {
  readonly factory: IDBFactory;
  readonly warnings: Warnings;
  readonly sunk: string[];
  readonly clock: ManualClock;
  open(options?: CacheStoreOptions): Promise<CacheStore>;
}

/** Creates a fresh IndexedDB for one test, so tests share nothing. */
export function createTestCache(): TestCache {
  const factory = new IDBFactory();
  const sunk: string[] = [];
  const warnings = new Warnings((message) => sunk.push(message));
  const clock = new ManualClock();
  return {
    factory,
    warnings,
    sunk,
    clock,
    open: (options = {}) => CacheStore.open({ indexedDB: factory, name: "test-cache", warnings, now: clock.now, codecs: [tensorCodec], locks: null, ...options }),
  };
}

/** Opens the test database directly, as another program would, bypassing CacheStore. */
export async function openRaw(factory: IDBFactory, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBPDatabase> {
  const request = version === undefined ? factory.open("test-cache") : factory.open("test-cache", version);
  if (upgrade) request.addEventListener("upgradeneeded", () => upgrade(request.result));
  return (await wrap(request))!;
}

/** Output values of every kind the cache stores, for round trips through the codec and the store. */
export function roundTripCases(): { name: string; value: unknown }[] {
  const typedArrays = [
    new Int8Array([-128, 0, 127]),
    new Uint8Array([0, 128, 255]),
    new Uint8ClampedArray([0, 255]),
    new Int16Array([-32768, 32767]),
    new Uint16Array([0, 65535]),
    new Int32Array([-(2 ** 31), 2 ** 31 - 1]),
    new Uint32Array([0, 2 ** 32 - 1]),
    new Float32Array([0.1, -0, NaN, Infinity]),
    new Float64Array([Math.PI, -0, NaN, -Infinity]),
    new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
    new BigUint64Array([0n, 2n ** 64n - 1n]),
  ];
  const state = (epoch: number) => ({ epoch, loss: 1 / epoch, weights: new FakeTensor(new Float32Array([epoch, epoch + 0.5]), [2]) });
  return [
    ...typedArrays.map((value) => ({ name: value.constructor.name, value })),
    { name: "partial view", value: new Float32Array([1, 2, 3, 4]).subarray(1, 3) },
    { name: "ArrayBuffer", value: new Uint8Array([1, 2, 3]).buffer },
    { name: "DataView", value: new DataView(new Uint8Array([4, 5]).buffer) },
    {
      name: "nested plain data",
      value: {
        numbers: [NaN, -0, 0, Infinity, -Infinity, 1e-300],
        nested: { text: "naïve ☃ \uD83D\uDE00", none: null, missing: undefined, flag: false, big: -(2n ** 70n) },
        rows: [[1, 2], [3, 4]],
      },
    },
    { name: "Map", value: new Map<unknown, unknown>([["a", 1], [{ id: 2 }, new Map([[3, [4]]])], [NaN, "not a number"]]) },
    { name: "Set", value: new Set<unknown>([1, "1", { one: 1 }, new Date(1)]) },
    { name: "Date", value: new Date(Date.UTC(2024, 1, 29, 12)) },
    { name: "tensor", value: new FakeTensor(new Int32Array([1, 2, 3, 4, 5, 6]), [2, 3]) },
    { name: "sequence of 3 values", value: new SequenceRecord([state(1), state(2), state(3)], true) },
    { name: "partial sequence", value: new SequenceRecord([state(1)], false) },
    { name: "__proto__ key", value: JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as unknown },
  ];
}
