/**
 * Layout of a Carryover session file (docs/session-format.md describes it in full):
 *
 * - a 40-byte header, little-endian: signature, format version, flags, manifest length,
 *   manifest CRC-32, data length (64-bit), header CRC-32, reserved;
 * - the manifest: UTF-8 JSON with the metadata, the notebook source, the results (typed
 *   arrays replaced by `{"$array": index}`) and the table of arrays;
 * - zero padding to a multiple of 8 bytes;
 * - the data section: every array's bytes, each starting at a multiple of 8 bytes.
 *
 * The file ends exactly where the data section ends.
 */

/** First eight bytes: a non-ASCII byte, "COS", CR LF, Ctrl-Z, LF, so text-mode transfers that rewrite line endings are detected. */
export const sessionSignature = Uint8Array.of(0x89, 0x43, 0x4f, 0x53, 0x0d, 0x0a, 0x1a, 0x0a);

/** Version of the layout and the manifest's fields; readers reject every other version. */
export const SESSION_FORMAT_VERSION = 1;

export const headerByteLength = 40;

/** Byte offsets of the header's fields. */
export const headerOffsets = {
  formatVersion: 8,
  flags: 12,
  manifestByteLength: 16,
  manifestCrc32: 20,
  dataByteLength: 24,
  headerCrc32: 32,
  reserved: 36,
} as const;

/** Every array in the data section starts at a multiple of this many bytes. */
export const arrayAlignment = 8;

/** Element types of arrays, by their name in the manifest. All are little-endian. */
export const arrayTypes = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

export type ArrayTypeName = keyof typeof arrayTypes;
export type SessionArray = InstanceType<(typeof arrayTypes)[ArrayTypeName]>;

/** One entry of the manifest's array table. Offsets count from the start of the data section. */
export interface ArrayEntry {
  dtype: ArrayTypeName;
  /** Element count. */
  length: number;
  /** Byte offset from the start of the data section; a multiple of 8. */
  offset: number;
  /** CRC-32 of the array's bytes. */
  crc32: number;
  /** Where the array sits in the results, such as `report.snapshots[1].probe.activations`; for messages only. */
  path: string;
}

/** Facts about the recording: who wrote it, with what, from which run. */
export interface SessionMeta {
  /** Version of Carryover (or of the writer) that produced the session. */
  carryoverVersion: string;
  /** Compute backend that produced the results, such as "webgpu", "webgl", "cpu" or "cuda". */
  backend: string;
  /** Seed of the run's randomness, or null when the producer had none. */
  seed: number | null;
  /** Library name to version, such as { "@tensorflow/tfjs": "4.22.0" }. */
  libraries: Record<string, string>;
  /** When the session was written, as an ISO 8601 date and time. */
  createdAt: string;
  /** Program that wrote the file, such as "carryover page" or "train.py". */
  producer: string;
}

/** Everything a session holds, as the writer takes it and the reader returns it. */
export interface SessionContents {
  meta: SessionMeta;
  notebook: { fileName: string; source: string };
  /** Named results: JSON values in which typed arrays may appear anywhere. */
  results: Record<string, unknown>;
}

/** The manifest as stored in the file. */
export interface SessionManifest {
  formatVersion: number;
  meta: SessionMeta;
  notebook: { fileName: string; source: string };
  arrays: ArrayEntry[];
  results: Record<string, unknown>;
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
