/**
 * Writes Carryover session files. This module depends on nothing but its siblings in this
 * folder (no browser API, no TensorFlow.js), so a training job in Node, Deno or Bun can
 * record a session from its own arrays and Carryover opens it like one saved from the page.
 */
import { crc32 } from "./crc32.ts";
import { SessionError } from "./errors.ts";
import {
  alignUp,
  arrayAlignment,
  arrayTypes,
  headerByteLength,
  headerOffsets,
  SESSION_FORMAT_VERSION,
  sessionSignature,
  type ArrayEntry,
  type ArrayTypeName,
  type SessionContents,
  type SessionManifest,
} from "./format.ts";

const typeNames = new Map<unknown, ArrayTypeName>(
  Object.entries(arrayTypes).map(([name, constructor]) => [constructor, name as ArrayTypeName]),
);

/** Keys that mark encoded values in the manifest's results, so plain objects may not use them. */
const reservedKeys = ["$array", "$number"];

/**
 * Encodes a session into the bytes of one file. Typed arrays anywhere in `results` go to
 * the binary data section; everything else must be JSON (non-finite numbers are allowed).
 * Throws SessionError naming the path of a value that cannot be stored.
 */
export function encodeSession(contents: SessionContents, fileName = "session"): Uint8Array {
  const arrays: { entry: ArrayEntry; bytes: Uint8Array }[] = [];
  let dataByteLength = 0;
  const seen = new Set<object>();

  const fail = (path: string, problem: string): never => {
    throw new SessionError("invalid-value", fileName, `invalid value to write at ${path}: ${problem}`, path);
  };

  const encode = (value: unknown, path: string): unknown => {
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : { $number: String(value) };
    if (typeof value !== "object") return fail(path, `${typeof value} cannot be stored (expected JSON values and typed arrays)`);
    if (ArrayBuffer.isView(value)) {
      const dtype = typeNames.get(value.constructor);
      if (!dtype) return fail(path, `${value.constructor.name} cannot be stored (expected one of ${[...typeNames.keys()].map((c) => (c as { name: string }).name).join(", ")})`);
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      const entry: ArrayEntry = { dtype, length: bytes.byteLength / (value as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT, offset: dataByteLength, crc32: crc32(bytes), path };
      arrays.push({ entry, bytes });
      dataByteLength = alignUp(dataByteLength + bytes.byteLength, arrayAlignment);
      return { $array: arrays.length - 1 };
    }
    if (seen.has(value)) return fail(path, "the value refers to itself (a cycle cannot be stored)");
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item, i) => encode(item, `${path}[${i}]`));
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (reservedKeys.includes(key)) fail(`${path}.${key}`, `the key ${key} is reserved for encoded values`);
        if (item === undefined) continue;
        out[key] = encode(item, `${path}.${key}`);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  };

  const results: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(contents.results)) results[name] = encode(value, name);

  const manifest: SessionManifest = {
    formatVersion: SESSION_FORMAT_VERSION,
    meta: contents.meta,
    notebook: contents.notebook,
    arrays: arrays.map((array) => array.entry),
    results,
  };
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
  const dataStart = alignUp(headerByteLength + manifestBytes.byteLength, arrayAlignment);
  const file = new Uint8Array(dataStart + dataByteLength);

  file.set(sessionSignature, 0);
  const view = new DataView(file.buffer);
  view.setUint32(headerOffsets.formatVersion, SESSION_FORMAT_VERSION, true);
  view.setUint32(headerOffsets.flags, 0, true);
  view.setUint32(headerOffsets.manifestByteLength, manifestBytes.byteLength, true);
  view.setUint32(headerOffsets.manifestCrc32, crc32(manifestBytes), true);
  view.setBigUint64(headerOffsets.dataByteLength, BigInt(dataByteLength), true);
  view.setUint32(headerOffsets.headerCrc32, crc32(file.subarray(0, headerOffsets.headerCrc32)), true);
  file.set(manifestBytes, headerByteLength);
  // NOTE: arrays are copied in the platform's byte order, which is little-endian on every
  // platform browsers and Node run on today; a big-endian writer would need to swap bytes.
  for (const { entry, bytes } of arrays) file.set(bytes, dataStart + entry.offset);
  return file;
}
