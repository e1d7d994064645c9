import { describe, expect, it } from "vitest";
import {
  DecodeError,
  SequenceRecord,
  UnencodableError,
  checksumOutputs,
  decodeOutputs,
  encodeOutputs,
  type EncodedOutputs,
  type OutputCodec,
} from "../../../src/runtime/cache/index.ts";
import { FakeTensor, roundTripCases, tensorCodec } from "./helpers.ts";

const codecs = [tensorCodec];

/** Encodes, copies with structured clone as IndexedDB does, and decodes. */
async function roundTrip(value: unknown): Promise<unknown> {
  const encoded = await encodeOutputs(new Map([["value", value]]), { codecs });
  return decodeOutputs(structuredClone(encoded), { codecs }).get("value");
}

async function encodeError(outputs: Map<string, unknown>, options: { codecs?: OutputCodec[] } = { codecs }): Promise<UnencodableError> {
  const error = await encodeOutputs(outputs, options).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(UnencodableError);
  return error as UnencodableError;
}

describe("codec round trip", () => {
  it.each(roundTripCases())("keeps a $name", async ({ value }) => {
    expect(await roundTrip(value)).toStrictEqual(value);
  });

  it("keeps NaN, -0 and Infinity exactly", async () => {
    const decoded = (await roundTrip({ values: [NaN, -0, Infinity] })) as { values: number[] };
    expect(Number.isNaN(decoded.values[0])).toBe(true);
    expect(Object.is(decoded.values[1], -0)).toBe(true);
    expect(decoded.values[2]).toBe(Infinity);
  });

  it("stores only the bytes of a partial view", async () => {
    const view = new Float32Array(1000).subarray(10, 12);
    const [output] = await encodeOutputs(new Map([["view", view]]));
    expect((output!.value as Float32Array).buffer.byteLength).toBe(8);
  });

  it("decodes a tensor and a sequence to their classes", async () => {
    const decoded = (await roundTrip(new SequenceRecord([{ weights: new FakeTensor(new Float32Array([1]), [1]) }], false))) as SequenceRecord;
    expect(decoded).toBeInstanceOf(SequenceRecord);
    expect(decoded.complete).toBe(false);
    expect((decoded.values[0] as { weights: unknown }).weights).toBeInstanceOf(FakeTensor);
  });

  it("keeps the order of outputs", async () => {
    const outputs = new Map<string, unknown>([["b", 1], ["a", 2], ["c", 3]]);
    const decoded = decodeOutputs(await encodeOutputs(outputs));
    expect([...decoded.keys()]).toEqual(["b", "a", "c"]);
  });
});

describe("unencodable outputs", () => {
  class LayersModel {}

  it("names the output and path of a class instance", async () => {
    const error = await encodeError(new Map([["run", { history: [{ model: new LayersModel() }] }]]));
    expect(error.output).toBe("run");
    expect(error.path).toBe('output "run" → history[0].model');
    expect(error.message).toBe(
      'invalid cached value at output "run" → history[0].model: an instance of LayersModel (expected plain data, a typed array, ArrayBuffer, Map, Set, Date, ' +
        "or a value that a registered codec accepts). Register a codec for it or mark the cell uncached.",
    );
  });

  it("names a function output", async () => {
    const error = await encodeError(new Map([["predict", function predict() {}]]));
    expect(error.path).toBe('output "predict"');
    expect(error.message).toContain("a function (predict) (expected plain data");
  });

  it("asks for the values of a generator", async () => {
    const error = await encodeError(new Map([["run", (function* () {})()]]));
    expect(error.message).toContain("a generator (expected its yielded values in a SequenceRecord)");
  });

  it("names the path inside a sequence", async () => {
    const error = await encodeError(new Map([["run", new SequenceRecord([{ epoch: 1 }, { model: new LayersModel() }], true)]]));
    expect(error.path).toBe('output "run" → .values[1].model');
  });

  it("names the path of a cycle", async () => {
    const state: Record<string, unknown> = {};
    state.self = new Map([["again", state]]);
    const error = await encodeError(new Map([["state", state]]));
    expect(error.path).toBe('output "state" → self.get("again")');
    expect(error.message).toContain('a cycle back to output "state" (expected data without cycles)');
  });

  it("wraps a codec's failure with its cause", async () => {
    const cause = new Error("tensor is disposed");
    const failing: OutputCodec = { ...tensorCodec, encode: () => Promise.reject(cause) };
    const error = await encodeError(new Map([["weights", new FakeTensor(new Float32Array(1), [1])]]), { codecs: [failing] });
    expect(error.message).toBe('failed to encode output "weights" with codec "tensor": tensor is disposed');
    expect(error.cause).toBe(cause);
  });

  it("rejects codec data that is not plain", async () => {
    const leaky: OutputCodec = { ...tensorCodec, encode: (value) => ({ tensor: value }) };
    const error = await encodeError(new Map([["weights", new FakeTensor(new Float32Array(1), [1])]]), { codecs: [leaky] });
    expect(error.path).toBe('output "weights" → [codec "tensor"].tensor');
  });

  it("rejects two codecs with one name", async () => {
    await expect(encodeOutputs(new Map(), { codecs: [tensorCodec, tensorCodec] })).rejects.toThrow(
      'invalid codec name: "tensor" (expected each codec to have its own name)',
    );
  });
});

describe("decoding", () => {
  it("reports a codec that is not registered", async () => {
    const encoded = await encodeOutputs(new Map([["weights", [new FakeTensor(new Float32Array(1), [1])]]]), { codecs });
    expect(() => decodeOutputs(encoded)).toThrow(DecodeError);
    expect(() => decodeOutputs(encoded)).toThrow('codec not found: "tensor" at output "weights" → [0] (register the codec that wrote this entry, or delete the entry)');
  });

  it("reports a node of unknown kind", () => {
    const encoded = [{ name: "x", value: { kind: "bogus" } }] as unknown as EncodedOutputs;
    expect(() => decodeOutputs(encoded)).toThrow('invalid encoded value at output "x": an object with kind "bogus"');
  });
});

describe("checksumOutputs", () => {
  it("is stable across structured clone", async () => {
    for (const { name, value } of roundTripCases()) {
      const encoded = await encodeOutputs(new Map([["value", value]]), { codecs });
      expect((await checksumOutputs(structuredClone(encoded))).checksum, name).toBe((await checksumOutputs(encoded)).checksum);
    }
  });

  it("changes with one byte", async () => {
    const values = new Float32Array(1000);
    const before = await checksumOutputs(await encodeOutputs(new Map([["values", values]])));
    values[999] = 1;
    const after = await checksumOutputs(await encodeOutputs(new Map([["values", values]])));
    expect(after.checksum).not.toBe(before.checksum);
  });

  it("measures binary data byte for byte", async () => {
    const { sizeBytes } = await checksumOutputs(await encodeOutputs(new Map([["values", new Float32Array(1000)]])));
    expect(sizeBytes).toBeGreaterThanOrEqual(4000);
    expect(sizeBytes).toBeLessThan(4200);
  });
});
