/**
 * Reads Carryover session files. Every field is checked before it is used, so a truncated,
 * corrupt or hostile file ends in a SessionError that names the fault, never in another
 * exception, a hang or an allocation sized by an unchecked length field. Like the writer, it
 * depends on nothing outside this folder.
 */
import { crc32, formatCrc } from "./crc32.ts";
import { SessionError, type SessionFault } from "./errors.ts";
import {
  alignUp,
  arrayAlignment,
  arrayTypes,
  headerByteLength,
  headerOffsets,
  SESSION_FORMAT_VERSION,
  sessionSignature,
  type ArrayEntry,
  type SessionArray,
  type SessionContents,
  type SessionMeta,
} from "./format.ts";

/** Deepest nesting of results that the reader follows; the writer's values from Carryover nest about 6 levels. */
const maxDepth = 64;

const hex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");

/** Decodes and validates a session file. Throws SessionError for any fault. */
export function decodeSession(input: Uint8Array, fileName: string): SessionContents {
  // A plain view: Node's Buffer overrides slice() to share memory, and arrays below must own theirs.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const fail = (fault: SessionFault, field: string | undefined, message: string, cause?: unknown): never => {
    throw new SessionError(fault, fileName, `${message}`, field, cause === undefined ? undefined : { cause });
  };
  const name = JSON.stringify(fileName);

  // Signature and version come first: a later format may lay out the rest of the header differently.
  const signatureBytes = bytes.subarray(0, sessionSignature.length);
  if (signatureBytes.some((byte, i) => byte !== sessionSignature[i])) {
    fail("signature", "header.signature", `${name} is not a Carryover session: it starts with ${hex(signatureBytes.subarray(0, 8)) || "nothing"} (expected ${hex(sessionSignature)}). Choose a file saved by Carryover's "Save session" or written by its session writer.`);
  }
  if (bytes.length < headerByteLength) {
    fail("truncated", "header", `${name} is truncated: ${bytes.length} bytes, shorter than the ${headerByteLength}-byte header. Copy or download the file again.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(headerOffsets.formatVersion, true);
  if (version !== SESSION_FORMAT_VERSION) {
    fail("version", "header.formatVersion", `unsupported session format version ${version} in ${name} (this Carryover reads version ${SESSION_FORMAT_VERSION}). Open it with the Carryover version that wrote it, or record the session again.`);
  }
  const headerCrc = crc32(bytes.subarray(0, headerOffsets.headerCrc32));
  const recordedHeaderCrc = view.getUint32(headerOffsets.headerCrc32, true);
  if (headerCrc !== recordedHeaderCrc) {
    fail("checksum", "header", `checksum mismatch in the header of ${name}: CRC-32 ${formatCrc(headerCrc)}, recorded ${formatCrc(recordedHeaderCrc)}. The file is corrupt; copy or download it again.`);
  }
  const flags = view.getUint32(headerOffsets.flags, true);
  const reserved = view.getUint32(headerOffsets.reserved, true);
  if (flags !== 0 || reserved !== 0) {
    fail("manifest", "header.flags", `invalid header in ${name}: flags ${flags} and reserved ${reserved} (expected 0 and 0 in format version ${SESSION_FORMAT_VERSION}).`);
  }

  // Sizes are compared with the file's real length before anything is allocated from them.
  const manifestByteLength = view.getUint32(headerOffsets.manifestByteLength, true);
  const dataByteLengthBig = view.getBigUint64(headerOffsets.dataByteLength, true);
  if (dataByteLengthBig > BigInt(Number.MAX_SAFE_INTEGER)) {
    fail("size", "header.dataByteLength", `invalid data length in ${name}: ${dataByteLengthBig} bytes (no file can be this large). The file is corrupt.`);
  }
  const dataByteLength = Number(dataByteLengthBig);
  const dataStart = alignUp(headerByteLength + manifestByteLength, arrayAlignment);
  const expectedLength = dataStart + dataByteLength;
  if (expectedLength > bytes.length) {
    fail("truncated", "header.dataByteLength", `${name} is truncated: ${bytes.length} bytes, but its header declares ${expectedLength} (a ${manifestByteLength}-byte manifest and ${dataByteLength} bytes of arrays). Copy or download the file again.`);
  }
  if (expectedLength < bytes.length) {
    fail("size", "header.dataByteLength", `invalid size of ${name}: ${bytes.length} bytes, but its header declares ${expectedLength}; ${bytes.length - expectedLength} bytes follow the data section. The file is corrupt.`);
  }

  const manifestBytes = bytes.subarray(headerByteLength, headerByteLength + manifestByteLength);
  const manifestCrc = crc32(manifestBytes);
  const recordedManifestCrc = view.getUint32(headerOffsets.manifestCrc32, true);
  if (manifestCrc !== recordedManifestCrc) {
    fail("checksum", "manifest", `checksum mismatch in the manifest of ${name}: CRC-32 ${formatCrc(manifestCrc)}, recorded ${formatCrc(recordedManifestCrc)}. The file is corrupt; copy or download it again.`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(manifestBytes));
  } catch (error) {
    fail("manifest", "manifest", `invalid manifest in ${name}: ${error instanceof Error ? error.message : String(error)} (expected UTF-8 JSON).`, error);
  }
  const checked = checkManifest(manifest, dataByteLength, fail, name);

  checkPadding(bytes, headerByteLength + manifestByteLength, dataStart, fail, name);
  const arrays: SessionArray[] = [];
  let previousEnd = 0;
  checked.arrays.forEach((entry, index) => {
    const Constructor = arrayTypes[entry.dtype];
    const start = dataStart + entry.offset;
    const end = start + entry.length * Constructor.BYTES_PER_ELEMENT;
    checkPadding(bytes, dataStart + previousEnd, start, fail, name);
    previousEnd = end - dataStart;
    const arrayBytes = bytes.subarray(start, end);
    const actual = crc32(arrayBytes);
    if (actual !== entry.crc32) {
      fail("checksum", `arrays[${index}]`, `checksum mismatch in array ${index} (${entry.path}) of ${name}: CRC-32 ${formatCrc(actual)}, recorded ${formatCrc(entry.crc32)}. The file is corrupt; copy or download it again.`);
    }
    // A copy, so each array owns an aligned buffer and the file's bytes can be released.
    arrays.push(new Constructor(arrayBytes.slice().buffer));
  });
  checkPadding(bytes, dataStart + previousEnd, bytes.length, fail, name);

  const results = decodeValue(checked.results, "results", 0, arrays, fail, name) as Record<string, unknown>;
  return { meta: checked.meta, notebook: checked.notebook, results };
}

type Fail = (fault: SessionFault, field: string | undefined, message: string, cause?: unknown) => never;

interface CheckedManifest {
  meta: SessionMeta;
  notebook: { fileName: string; source: string };
  arrays: ArrayEntry[];
  results: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const describe = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function checkManifest(manifest: unknown, dataByteLength: number, fail: Fail, name: string): CheckedManifest {
  const invalid = (field: string, value: unknown, expected: string): never =>
    fail("manifest", `manifest.${field}`, `invalid manifest.${field} in ${name}: ${describe(value)} (expected ${expected}).`);
  const missing = (field: string): never =>
    fail("manifest", `manifest.${field}`, `missing manifest.${field} in ${name} (every session records it; the writer that produced this file is incomplete).`);
  const string = (object: Record<string, unknown>, prefix: string, key: string): string => {
    const value = object[key];
    if (value === undefined) return missing(`${prefix}${key}`);
    return typeof value === "string" ? value : invalid(`${prefix}${key}`, value, "a string");
  };

  if (!isObject(manifest)) return invalid("", manifest, "a JSON object");
  if (manifest.formatVersion !== SESSION_FORMAT_VERSION) invalid("formatVersion", manifest.formatVersion, `${SESSION_FORMAT_VERSION}, as in the header`);

  const meta = manifest.meta;
  if (meta === undefined) missing("meta");
  if (!isObject(meta)) return invalid("meta", meta, "an object");
  const libraries = meta.libraries;
  if (libraries === undefined) missing("meta.libraries");
  if (!isObject(libraries) || Object.values(libraries).some((value) => typeof value !== "string")) {
    invalid("meta.libraries", libraries, "an object of library name to version string");
  }
  if (meta.seed !== null && !Number.isFinite(meta.seed)) invalid("meta.seed", meta.seed, "a number or null");
  const checkedMeta: SessionMeta = {
    carryoverVersion: string(meta, "meta.", "carryoverVersion"),
    backend: string(meta, "meta.", "backend"),
    seed: meta.seed as number | null,
    libraries: libraries as Record<string, string>,
    createdAt: string(meta, "meta.", "createdAt"),
    producer: string(meta, "meta.", "producer"),
  };

  const notebook = manifest.notebook;
  if (notebook === undefined) missing("notebook");
  if (!isObject(notebook)) return invalid("notebook", notebook, "an object with fileName and source");
  const checkedNotebook = { fileName: string(notebook, "notebook.", "fileName"), source: string(notebook, "notebook.", "source") };

  if (manifest.arrays === undefined) missing("arrays");
  if (!Array.isArray(manifest.arrays)) return invalid("arrays", manifest.arrays, "a list of array entries");
  let previousEnd = 0;
  const arrays = manifest.arrays.map((entry: unknown, index): ArrayEntry => {
    const field = `arrays[${index}]`;
    if (!isObject(entry)) return invalid(field, entry, "an object with dtype, length, offset, crc32 and path");
    const { dtype, length, offset, crc32: checksum, path } = entry;
    if (typeof dtype !== "string" || !Object.hasOwn(arrayTypes, dtype)) invalid(`${field}.dtype`, dtype, `one of ${Object.keys(arrayTypes).join(", ")}`);
    if (!Number.isSafeInteger(length) || (length as number) < 0) invalid(`${field}.length`, length, "an element count, 0 or more");
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || (offset as number) % arrayAlignment !== 0) {
      invalid(`${field}.offset`, offset, `a byte offset that is a multiple of ${arrayAlignment}`);
    }
    if (!Number.isInteger(checksum) || (checksum as number) < 0 || (checksum as number) > 0xffffffff) invalid(`${field}.crc32`, checksum, "an unsigned 32-bit integer");
    if (typeof path !== "string") invalid(`${field}.path`, path, "a string");
    const byteLength = (length as number) * arrayTypes[dtype as keyof typeof arrayTypes].BYTES_PER_ELEMENT;
    const end = (offset as number) + byteLength;
    if (end > dataByteLength) {
      fail("size", field, `invalid size of array ${index} (${String(path)}) in ${name}: ${length} ${dtype} elements (${byteLength} bytes) at offset ${offset} run past the ${dataByteLength}-byte data section. The file is corrupt.`);
    }
    if ((offset as number) < previousEnd) {
      fail("manifest", `${field}.offset`, `invalid manifest.${field}.offset in ${name}: ${offset} overlaps the previous array, which ends at ${previousEnd} (arrays must follow each other in order).`);
    }
    previousEnd = end;
    return { dtype: dtype as ArrayEntry["dtype"], length: length as number, offset: offset as number, crc32: checksum as number, path: path as string };
  });

  if (manifest.results === undefined) missing("results");
  if (!isObject(manifest.results)) return invalid("results", manifest.results, "an object of named results");
  return { meta: checkedMeta, notebook: checkedNotebook, arrays, results: manifest.results };
}

/** Requires zero bytes in [start, end): padding carries no data, so anything else is corruption. */
function checkPadding(bytes: Uint8Array, start: number, end: number, fail: Fail, name: string): void {
  for (let i = start; i < end; i++) {
    if (bytes[i] !== 0) fail("checksum", "padding", `invalid padding in ${name}: byte ${i} is ${bytes[i]} (expected 0). The file is corrupt; copy or download it again.`);
  }
}

const nonFinite: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY };

/** Replaces `{"$array": i}` with array i and `{"$number": "NaN"}` with the number, checking both. */
function decodeValue(value: unknown, path: string, depth: number, arrays: readonly SessionArray[], fail: Fail, name: string): unknown {
  if (depth > maxDepth) fail("manifest", path, `invalid results in ${name}: ${path} nests deeper than ${maxDepth} levels.`);
  if (Array.isArray(value)) return value.map((item, i) => decodeValue(item, `${path}[${i}]`, depth + 1, arrays, fail, name));
  if (!isObject(value)) return value;
  if ("$array" in value) {
    const index = value.$array;
    if (!Number.isSafeInteger(index) || (index as number) < 0 || (index as number) >= arrays.length) {
      fail("missing-array", path, `missing array in ${name}: ${path} refers to array ${describe(index)}, but the file holds ${arrays.length} arrays (0 to ${arrays.length - 1}). The file is incomplete; record the session again.`);
    }
    return arrays[index as number];
  }
  if ("$number" in value) {
    const text = value.$number;
    if (typeof text !== "string" || !Object.hasOwn(nonFinite, text)) fail("manifest", path, `invalid number at ${path} in ${name}: ${describe(text)} (expected "NaN", "Infinity" or "-Infinity").`);
    return nonFinite[text as string];
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = decodeValue(item, `${path}.${key}`, depth + 1, arrays, fail, name);
  return out;
}
