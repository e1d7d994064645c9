import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, test } from "vitest";
import { crc32 } from "../../../src/runtime/session/crc32.ts";
import { checkRecordedReport } from "../../../src/cells/recordedReport.ts";
import { SessionError } from "../../../src/runtime/session/errors.ts";
import { headerByteLength, headerOffsets } from "../../../src/runtime/session/format.ts";
import { decodeSession } from "../../../src/runtime/session/reader.ts";
import { encodeSession } from "../../../src/runtime/session/writer.ts";
import { resealHeader, rewriteManifest, syntheticNotebook, syntheticReport, syntheticSession } from "./synthetic.ts";

function faultOf(bytes: Uint8Array): SessionError {
  try {
    decodeSession(bytes, "bad.carryover");
  } catch (error) {
    expect(error).toBeInstanceOf(SessionError);
    return error as SessionError;
  }
  throw new Error("expected the reader to reject the file");
}

describe("session writer and reader", () => {
  test("crc32 matches zlib", () => {
    // 0xCBF43926 is the CRC-32 check value of "123456789" in ISO 3309 and zlib.
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    const bytes = syntheticSession();
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });

  test("round trip keeps every value", () => {
    const report = syntheticReport();
    const decoded = decodeSession(syntheticSession(), "synthetic.carryover");
    expect(decoded.notebook).toEqual({ fileName: "synthetic.md", source: syntheticNotebook });
    expect(decoded.meta.libraries).toEqual({ torch: "2.3.0" });
    expect(decoded.meta.seed).toBe(7);
    expect(decoded.results.report).toEqual(report);
  });

  test("Node Buffer input decodes", () => {
    // A Buffer inside a larger pool, as readFile returns small files.
    const bytes = syntheticSession();
    const pooled = Buffer.alloc(bytes.length + 24);
    pooled.set(bytes, 16);
    const decoded = decodeSession(pooled.subarray(16, 16 + bytes.length), "s");
    expect(decoded.results.report).toEqual(syntheticReport());
  });

  test("typed arrays keep their kind", () => {
    const decoded = decodeSession(syntheticSession(), "s") as unknown as { results: { report: ReturnType<typeof syntheticReport> } };
    const snapshot = decoded.results.report.snapshots[1]!;
    expect(snapshot.probe.activations).toBeInstanceOf(Float32Array);
    expect(snapshot.confusion.target).toBeInstanceOf(Uint32Array);
    expect(decoded.results.report.probe.labels).toBeInstanceOf(Uint8Array);
  });

  test("session from the writer alone passes the report check", () => {
    const decoded = decodeSession(syntheticSession({ n: 20, classes: 4, epochs: 3 }), "s");
    const report = checkRecordedReport(decoded.results.report, "s");
    expect(report.snapshots).toHaveLength(4);
    expect(report.projection?.layouts[3]).toHaveLength(40);
  });

  test("non-finite numbers survive", () => {
    const bytes = encodeSession({ meta: syntheticMeta(), notebook: { fileName: "a.md", source: "" }, results: { x: { a: Number.NaN, b: -Infinity, c: [Infinity] } } });
    expect(decodeSession(bytes, "a").results.x).toEqual({ a: Number.NaN, b: -Infinity, c: [Infinity] });
  });

  test("arrays start on 8-byte boundaries", () => {
    const bytes = encodeSession({ meta: syntheticMeta(), notebook: { fileName: "a.md", source: "x" }, results: { a: Uint8Array.of(1, 2, 3), b: Float64Array.of(0.5) } });
    const decoded = decodeSession(bytes, "a").results as { a: Uint8Array; b: Float64Array };
    expect([...decoded.a]).toEqual([1, 2, 3]);
    expect([...decoded.b]).toEqual([0.5]);
    expect(bytes.length % 8).toBe(0);
  });

  test("writer rejects unsupported values by path", () => {
    const write = (value: unknown) => encodeSession({ meta: syntheticMeta(), notebook: { fileName: "a.md", source: "" }, results: { value } });
    expect(() => write({ deep: [1, () => 1] })).toThrow("invalid value to write at value.deep[1]: function cannot be stored");
    expect(() => write(new BigInt64Array(1))).toThrow("BigInt64Array cannot be stored");
    expect(() => write({ $array: 1 })).toThrow("the key $array is reserved");
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => write(cycle)).toThrow("value.self: the value refers to itself");
  });
});

describe("session reader on bad files", () => {
  test("truncated file names both lengths", () => {
    const bytes = syntheticSession();
    const error = faultOf(bytes.subarray(0, bytes.length - 100));
    expect(error.fault).toBe("truncated");
    expect(error.message).toContain(`"bad.carryover" is truncated: ${bytes.length - 100} bytes, but its header declares ${bytes.length}`);
  });

  test("file shorter than the header", () => {
    const error = faultOf(syntheticSession().subarray(0, 20));
    expect(error.fault).toBe("truncated");
    expect(error.message).toContain("shorter than the 40-byte header");
  });

  test("other file is not a session", () => {
    const error = faultOf(new TextEncoder().encode("# just a notebook\n\n```js\n1\n```\n".padEnd(100)));
    expect(error.fault).toBe("signature");
    expect(error.message).toContain("is not a Carryover session: it starts with 23 20 6a 75");
  });

  test("newer format version", () => {
    const bytes = syntheticSession().slice();
    new DataView(bytes.buffer).setUint32(headerOffsets.formatVersion, 2, true);
    const error = faultOf(resealHeader(bytes));
    expect(error.fault).toBe("version");
    expect(error.message).toContain("unsupported session format version 2");
    expect(error.message).toContain("reads version 1");
  });

  test("flipped array byte fails its checksum", () => {
    const bytes = syntheticSession().slice();
    bytes[bytes.length - 9] ^= 0x10;
    const error = faultOf(bytes);
    expect(error.fault).toBe("checksum");
    expect(error.message).toMatch(/checksum mismatch in array \d+ \(report\.projection\.layouts\[2\]\)/);
  });

  test("flipped manifest byte fails the manifest checksum", () => {
    const bytes = syntheticSession().slice();
    bytes[headerByteLength + 5] ^= 0x01;
    const error = faultOf(bytes);
    expect(error.fault).toBe("checksum");
    expect(error.message).toContain("checksum mismatch in the manifest");
  });

  test("huge data length is rejected before allocation", () => {
    const bytes = syntheticSession().slice();
    new DataView(bytes.buffer).setBigUint64(headerOffsets.dataByteLength, 0xffff_ffff_ffff_ffffn, true);
    const error = faultOf(resealHeader(bytes));
    expect(error.fault).toBe("size");
    expect(error.message).toContain("invalid data length");
  });

  test("huge manifest length reads as truncation", () => {
    const bytes = syntheticSession().slice();
    new DataView(bytes.buffer).setUint32(headerOffsets.manifestByteLength, 0xffffffff, true);
    const error = faultOf(resealHeader(bytes));
    expect(error.fault).toBe("truncated");
    expect(error.message).toContain("4294967295-byte manifest");
  });

  test("array reference past the table is a missing array", () => {
    const bytes = rewriteManifest(syntheticSession(), (manifest) => {
      (manifest.results as { report: { probe: { labels: unknown } } }).report.probe.labels = { $array: 999 };
    });
    const error = faultOf(bytes);
    expect(error.fault).toBe("missing-array");
    expect(error.message).toContain("missing array in \"bad.carryover\": results.report.probe.labels refers to array 999");
  });

  test("array entry with an absurd length", () => {
    const bytes = rewriteManifest(syntheticSession(), (manifest) => {
      (manifest.arrays as { length: number }[])[0]!.length = 2 ** 40;
    });
    const error = faultOf(bytes);
    expect(error.fault).toBe("size");
    expect(error.message).toContain("1099511627776 float32 elements");
  });

  test("report without an array names the field", () => {
    const report = syntheticReport() as Record<string, any>;
    delete report.snapshots[1].probe.predictions;
    const decoded = decodeSession(encodeSession({ meta: syntheticMeta(), notebook: { fileName: "a.md", source: "" }, results: { report } }), "a");
    expect(() => checkRecordedReport(decoded.results.report, "a.carryover")).toThrow("missing array report.snapshots[1].probe.predictions in a.carryover");
  });

  test("report with a mis-sized array names both sizes", () => {
    const report = syntheticReport() as Record<string, any>;
    report.projection.layouts[0] = new Float32Array(5);
    expect(() => checkRecordedReport(report, "a.carryover")).toThrow("invalid report.projection.layouts[0]: 5 elements (expected 24)");
  });
});

function syntheticMeta() {
  return { carryoverVersion: "0.1.0", backend: "cpu", seed: null, libraries: {}, createdAt: "2026-01-01T00:00:00.000Z", producer: "test" };
}
