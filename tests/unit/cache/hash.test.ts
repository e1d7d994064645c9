import { describe, expect, it } from "vitest";
import {
  CACHE_FORMAT_VERSION,
  CONTENT_KEY,
  UnhashableError,
  computeKey,
  contentKey,
  explainKeyChange,
  type KeyParts,
} from "../../../src/runtime/cache/index.ts";
import { FakeTensor, tensorAdapter } from "./helpers.ts";

function baseParts(): KeyParts {
  return {
    source: "const model = fineTune(base, data, options)",
    inputs: {
      base: new Float32Array([0.5, 1.5, -2, 3]),
      data: { images: new Uint8Array([0, 127, 255]), labels: [1, 7, 3] },
      options: { epochs: 3, learningRate: 0.001, freeze: ["conv1", "conv2"], name: "head" },
    },
    libraryVersion: "0.1.0",
    formatVersion: CACHE_FORMAT_VERSION,
    backend: "cpu",
  };
}

function withInputs(parts: KeyParts, inputs: Record<string, unknown>): KeyParts {
  return { ...parts, inputs: { ...parts.inputs, ...inputs } };
}

function withoutInput(parts: KeyParts, name: string): KeyParts {
  const inputs = { ...parts.inputs };
  delete inputs[name];
  return { ...parts, inputs };
}

function flipLastByte(array: Float32Array): Float32Array {
  const copy = array.slice();
  const bytes = new Uint8Array(copy.buffer);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
  return copy;
}

async function digest(value: unknown): Promise<string> {
  return contentKey({ source: "", inputs: { value }, libraryVersion: "1", formatVersion: 1 });
}

interface ChangeCase {
  readonly name: string;
  readonly change: (parts: KeyParts) => KeyParts;
  readonly label: string;
  readonly kind?: "changed" | "added" | "removed";
}

const changes: ChangeCase[] = [
  { name: "source text", change: (parts) => ({ ...parts, source: `${parts.source} ` }), label: "source" },
  { name: "typed array byte", change: (parts) => withInputs(parts, { base: flipLastByte(parts.inputs.base as Float32Array) }), label: 'input "base"' },
  {
    name: "typed array element type",
    change: (parts) => withInputs(parts, { base: new Int32Array((parts.inputs.base as Float32Array).buffer.slice(0)) }),
    label: 'input "base"',
  },
  {
    name: "Uint8Array over the same bytes",
    change: (parts) => withInputs(parts, { base: new Uint8Array((parts.inputs.base as Float32Array).buffer.slice(0)) }),
    label: 'input "base"',
  },
  { name: "nested typed array", change: (parts) => withInputs(parts, { data: { images: new Uint8Array([0, 127, 254]), labels: [1, 7, 3] } }), label: 'input "data"' },
  { name: "nested array element", change: (parts) => withInputs(parts, { data: { images: new Uint8Array([0, 127, 255]), labels: [1, 7, 4] } }), label: 'input "data"' },
  {
    name: "number in options",
    change: (parts) => withInputs(parts, { options: { epochs: 4, learningRate: 0.001, freeze: ["conv1", "conv2"], name: "head" } }),
    label: 'input "options"',
  },
  {
    name: "string in options",
    change: (parts) => withInputs(parts, { options: { epochs: 3, learningRate: 0.001, freeze: ["conv1", "conv3"], name: "head" } }),
    label: 'input "options"',
  },
  { name: "added input", change: (parts) => withInputs(parts, { seed: 42 }), label: 'input "seed"', kind: "added" },
  { name: "removed input", change: (parts) => withoutInput(parts, "data"), label: 'input "data"', kind: "removed" },
  { name: "library version", change: (parts) => ({ ...parts, libraryVersion: "0.2.0" }), label: "library version" },
  { name: "format version", change: (parts) => ({ ...parts, formatVersion: parts.formatVersion + 1 }), label: "format version" },
  { name: "backend", change: (parts) => ({ ...parts, backend: "webgpu" }), label: "backend" },
  { name: "backend removed", change: (parts) => ({ ...parts, backend: undefined }), label: "backend", kind: "removed" },
];

describe("computeKey", () => {
  it.each(changes)("changes with $name", async ({ change, label, kind }) => {
    const before = await computeKey(baseParts());
    const after = await computeKey(change(baseParts()));

    expect(after.key).not.toBe(before.key);
    const explained = explainKeyChange(before.ingredients, after.ingredients);
    expect(explained.map((item) => item.label)).toEqual([label]);
    expect(explained[0]!.change).toBe(kind ?? "changed");
  });

  it("ignores object key order", async () => {
    const reordered = withInputs(baseParts(), {
      options: { name: "head", freeze: ["conv1", "conv2"], learningRate: 0.001, epochs: 3 },
      data: { labels: [1, 7, 3], images: new Uint8Array([0, 127, 255]) },
    });
    expect(await contentKey(reordered)).toBe(await contentKey(baseParts()));
  });

  it("ignores the order of inputs", async () => {
    const parts = baseParts();
    const reversed = { ...parts, inputs: Object.fromEntries(Object.entries(parts.inputs).reverse()) };
    expect(await contentKey(reversed)).toBe(await contentKey(parts));
  });

  it("gives equal content the same key", async () => {
    const first = await computeKey(baseParts());
    const second = await computeKey(baseParts());
    expect(second.key).toBe(first.key);
    expect(explainKeyChange(first.ingredients, second.ingredients)).toEqual([]);
  });

  it("hashes a view by its own bytes only", async () => {
    const buffer = new Float32Array([9, 1, 2, 9]);
    expect(await digest(buffer.subarray(1, 3))).toBe(await digest(new Float32Array([1, 2])));
  });

  it("returns 32 hex digits", async () => {
    const { key, ingredients } = await computeKey(baseParts());
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(ingredients.inputs).sort()).toEqual(["base", "data", "options"]);
    expect(ingredients.backend).toMatch(/^[0-9a-f]{32}$/);
  });

  it("names several changed ingredients in order", async () => {
    const before = await computeKey(baseParts());
    const after = await computeKey({ ...withInputs(baseParts(), { options: {} }), source: "x", backend: "webgl" });
    expect(explainKeyChange(before.ingredients, after.ingredients).map((item) => item.label)).toEqual(["source", 'input "options"', "backend"]);
  });

  it("gives the same keys when computed concurrently", async () => {
    const parts = (index: number): KeyParts =>
      withInputs(baseParts(), { table: new Map<unknown, unknown>([["index", index], [{ nested: new Set([index, "a"]) }, new Map([[1, 2]])]]) });
    const sequential: string[] = [];
    for (let index = 0; index < 8; index += 1) sequential.push(await contentKey(parts(index)));
    const concurrent = await Promise.all(Array.from({ length: 8 }, (_, index) => contentKey(parts(index))));
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential).size).toBe(8);
  });

  it("rejects invalid key parts", async () => {
    await expect(computeKey({ ...baseParts(), formatVersion: 1.5 })).rejects.toThrow("invalid format version: 1.5 (expected a non-negative integer");
    await expect(computeKey({ ...baseParts(), libraryVersion: "" })).rejects.toThrow('invalid library version: "" (expected a non-empty string)');
  });

  it("hashes a 50 MB Float32Array", async () => {
    const large = new Float32Array((50 * 1024 * 1024) / 4);
    for (let index = 0; index < large.length; index += 4096) large[index] = index;
    const parts = withInputs(baseParts(), { large });
    const key = await contentKey(parts);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    large[large.length - 1] = 1;
    expect(await contentKey(parts)).not.toBe(key);
  });
});

describe("content hashing", () => {
  const distinct: [string, unknown][] = [
    ['string "1"', "1"],
    ["number 1", 1],
    ["array [1]", [1]],
    ["bigint 1n", 1n],
    ["true", true],
    ["null", null],
    ["undefined", undefined],
    ["NaN", NaN],
    ["0", 0],
    ["-0", -0],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
    ['["ab", "c"]', ["ab", "c"]],
    ['["a", "bc"]', ["a", "bc"]],
    ['{ a: "bc" }', { a: "bc" }],
    ['{ ab: "c" }', { ab: "c" }],
    ["Uint8Array [1]", new Uint8Array([1])],
    ["Int8Array [1]", new Int8Array([1])],
    ["ArrayBuffer [1]", new Uint8Array([1]).buffer],
    ["DataView [1]", new DataView(new Uint8Array([1]).buffer)],
    ["Date 0", new Date(0)],
    ['Map { "a" => 1 }', new Map([["a", 1]])],
    ['object { a: 1 }', { a: 1 }],
    ["Set [1]", new Set([1])],
    ["[[1]]", [[1]]],
    ["empty string", ""],
    ["empty array", []],
    ["empty object", {}],
  ];

  it("tags every value with its type and length", async () => {
    const digests = await Promise.all(distinct.map(([, value]) => digest(value)));
    for (let i = 0; i < distinct.length; i += 1) {
      for (let j = i + 1; j < distinct.length; j += 1) {
        expect(digests[i], `${distinct[i]![0]} and ${distinct[j]![0]}`).not.toBe(digests[j]);
      }
    }
  });

  it("hashes every NaN alike and -0 stably", async () => {
    const payloadNaN = new Float64Array(new BigUint64Array([0x7ff8_0000_0000_0001n]).buffer)[0];
    expect(Number.isNaN(payloadNaN)).toBe(true);
    expect(await digest(payloadNaN)).toBe(await digest(NaN));
    expect(await digest(-0)).toBe(await digest(-0));
    expect(await digest([NaN, -0, Infinity])).toBe(await digest([0 / 0, -0, 1 / 0]));
  });

  it("ignores Map and Set insertion order", async () => {
    expect(await digest(new Map<unknown, unknown>([["a", 1], [{ b: 2 }, [3]]]))).toBe(await digest(new Map<unknown, unknown>([[{ b: 2 }, [3]], ["a", 1]])));
    expect(await digest(new Set(["x", 2, { y: 3 }]))).toBe(await digest(new Set([{ y: 3 }, 2, "x"])));
    expect(await digest(new Map([["a", 1]]))).not.toBe(await digest(new Map([["a", 2]])));
  });

  it("distinguishes lone surrogates", async () => {
    expect(await digest("\uD800")).not.toBe(await digest("\uFFFD"));
  });

  it("hashes a class through its content-key method", async () => {
    class Weights {
      constructor(readonly values: Float32Array) {}
      async [CONTENT_KEY](): Promise<unknown> {
        return { values: this.values };
      }
    }
    expect(await digest(new Weights(new Float32Array([1, 2])))).toBe(await digest(new Weights(new Float32Array([1, 2]))));
    expect(await digest(new Weights(new Float32Array([1, 2])))).not.toBe(await digest(new Weights(new Float32Array([1, 3]))));
    // The description is tagged, so it differs from the same data given directly.
    expect(await digest(new Weights(new Float32Array([1, 2])))).not.toBe(await digest({ values: new Float32Array([1, 2]) }));
  });

  it("hashes a class through an adapter", async () => {
    const key = (tensor: FakeTensor) => contentKey({ source: "", inputs: { tensor }, libraryVersion: "1", formatVersion: 1 }, { adapters: [tensorAdapter] });
    expect(await key(new FakeTensor(new Float32Array([1, 2]), [2]))).toBe(await key(new FakeTensor(new Float32Array([1, 2]), [2])));
    expect(await key(new FakeTensor(new Float32Array([1, 2]), [2]))).not.toBe(await key(new FakeTensor(new Float32Array([1, 2]), [1, 2])));
    expect(await key(new FakeTensor(new Float32Array([1, 2]), [2]))).not.toBe(await key(new FakeTensor(new Int32Array([1, 2]), [2])));
  });
});

describe("unhashable values", () => {
  class LayersModel {
    readonly layers = [1, 2];
  }
  class FakeCanvas {
    readonly nodeType = 1;
    readonly nodeName = "CANVAS";
  }

  const cases: { name: string; inputs: Record<string, unknown>; path: string; kind: string }[] = [
    { name: "class instance", inputs: { training: { options: { sourceModel: new LayersModel() } } }, path: 'input "training" → options.sourceModel', kind: "an instance of LayersModel" },
    { name: "function", inputs: { fit: function fit() {} }, path: 'input "fit"', kind: "a function (fit)" },
    { name: "DOM node", inputs: { view: [1, 2, new FakeCanvas()] }, path: 'input "view" → [2]', kind: "a DOM node (CANVAS)" },
    { name: "Map value", inputs: { table: new Map([["model", () => 1]]) }, path: 'input "table" → .get("model")', kind: "a function" },
    { name: "symbol", inputs: { tag: { "odd key": Symbol("x") } }, path: 'input "tag" → ["odd key"]', kind: "a symbol" },
    { name: "tensor without adapter", inputs: { tensor: new FakeTensor(new Float32Array(1), [1]) }, path: 'input "tensor"', kind: "an instance of FakeTensor" },
  ];

  it.each(cases)("names the path of a $name", async ({ inputs, path, kind }) => {
    const error = await computeKey({ ...baseParts(), inputs }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnhashableError);
    const unhashable = error as UnhashableError;
    expect(unhashable.path).toBe(path);
    expect(unhashable.reason).toBe("unsupported");
    expect(unhashable.message).toContain(`invalid value at ${path}: ${kind} (expected plain data`);
    expect(unhashable.message).toContain('[Symbol.for("carryover.contentKey")]()');
    expect(unhashable.message).toContain("mark the cell uncached");
  });

  it("names the path of a cycle", async () => {
    const options: Record<string, unknown> = { nested: { list: [] as unknown[] } };
    ((options.nested as { list: unknown[] }).list).push(options);
    const error = (await computeKey({ ...baseParts(), inputs: { options } }).catch((thrown: unknown) => thrown)) as UnhashableError;
    expect(error).toBeInstanceOf(UnhashableError);
    expect(error.reason).toBe("cycle");
    expect(error.path).toBe('input "options" → nested.list[0]');
    expect(error.message).toBe(
      'invalid value at input "options" → nested.list[0]: a cycle back to input "options" (expected data without cycles). Break the cycle or mark the cell uncached.',
    );
  });

  it("accepts a shared value that is not a cycle", async () => {
    const shared = { a: 1 };
    await expect(contentKey({ ...baseParts(), inputs: { pair: [shared, shared] } })).resolves.toMatch(/^[0-9a-f]{32}$/);
  });

  it("reports a content-key method that returns its own object", async () => {
    class SelfDescribing {
      [CONTENT_KEY](): unknown {
        return this;
      }
    }
    const error = (await computeKey({ ...baseParts(), inputs: { model: new SelfDescribing() } }).catch((thrown: unknown) => thrown)) as UnhashableError;
    expect(error.reason).toBe("cycle");
    expect(error.path).toBe('input "model" → [contentKey]');
  });

  it("wraps an adapter's failure with its cause", async () => {
    const cause = new Error("tensor is disposed");
    const adapters = [{ test: () => true, describe: () => Promise.reject(cause) }];
    const error = (await computeKey({ ...baseParts(), inputs: { x: { weights: new Date(0) } } }, { adapters }).catch((thrown: unknown) => thrown)) as UnhashableError;
    expect(error.reason).toBe("describe-failed");
    expect(error.message).toBe('failed to describe input "x" for its cache key: tensor is disposed');
    expect(error.cause).toBe(cause);
  });
});
