/** Decoding of outputs written by `encodeOutputs` (codec.ts), checking the shape of every node. */
import { DecodeError, SequenceRecord, validateCodecs, type CodecOptions, type EncodedOutput, type EncodedOutputs, type OutputCodec } from "./codec.ts";
import { ValuePath, describeSetting, describeThrown, isArrayBuffer, mapKeySegment, mapValueSegment, setElementSegment, type PathSegment } from "./values.ts";

/** Decodes outputs written by `encodeOutputs`. Throws DecodeError for a malformed value or a codec not registered. */
export function decodeOutputs(encoded: EncodedOutputs, options: CodecOptions = {}): Map<string, unknown> {
  const codecs = new Map(validateCodecs(options.codecs ?? []).map((codec) => [codec.name, codec]));
  if (!Array.isArray(encoded)) throw new DecodeError("invalid encoded outputs: not an array (expected a list of named outputs)", "outputs");
  const outputs = new Map<string, unknown>();
  for (const output of encoded as readonly unknown[]) {
    const { name, value } = (output ?? {}) as Partial<EncodedOutput>;
    if (typeof name !== "string") throw new DecodeError("invalid encoded output: missing name (expected a string)", "outputs");
    outputs.set(name, decodeValue(value, new ValuePath(`output ${JSON.stringify(name)}`), codecs));
  }
  return outputs;
}

function decodeValue(value: unknown, path: ValuePath, codecs: ReadonlyMap<string, OutputCodec>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (ArrayBuffer.isView(value) || isArrayBuffer(value) || value instanceof Date) return value;
  if (Array.isArray(value)) return decodeEach(value, path, codecs, (index) => index);

  const node = value as Partial<Record<string, unknown>>;
  switch (node.kind) {
    case "object": {
      const entries = expectArray(node.entries, path, "entries").map((entry, index) => {
        const [key, item] = expectArray(entry, path, `entries[${index}]`);
        if (typeof key !== "string") throw invalidNode(path, `entries[${index}] has a key that is not a string`);
        return [key, decodeAt(item, path, key, codecs)] as const;
      });
      return Object.fromEntries(entries);
    }
    case "map": {
      const entries = expectArray(node.entries, path, "entries").map((entry, index) => {
        const [key, item] = expectArray(entry, path, `entries[${index}]`);
        const decodedKey = decodeAt(key, path, mapKeySegment(index), codecs);
        return [decodedKey, decodeAt(item, path, mapValueSegment(decodedKey, index), codecs)] as const;
      });
      return new Map(entries);
    }
    case "set":
      return new Set(decodeEach(expectArray(node.values, path, "values"), path, codecs, setElementSegment));
    case "sequence": {
      const values = decodeEach(expectArray(node.values, path, "values"), path, codecs, (index) => ({ formatted: `.values[${index}]` }));
      return new SequenceRecord(values, node.complete === true);
    }
    case "codec": {
      const codec = typeof node.codec === "string" ? codecs.get(node.codec) : undefined;
      if (!codec) {
        const name = typeof node.codec === "string" ? JSON.stringify(node.codec) : "(no name)";
        throw new DecodeError(`codec not found: ${name} at ${path.format()} (register the codec that wrote this entry, or delete the entry)`, path.format());
      }
      const data = decodeAt(node.data, path, { formatted: `[codec ${JSON.stringify(codec.name)}]` }, codecs);
      try {
        return codec.decode(data);
      } catch (error) {
        const message = `failed to decode ${path.format()} with codec ${JSON.stringify(codec.name)}: ${describeThrown(error)}`;
        throw new DecodeError(message, path.format(), { cause: error });
      }
    }
    default:
      throw invalidNode(path, `an object with kind ${describeSetting(node.kind)}`);
  }
}

function decodeAt(value: unknown, path: ValuePath, segment: PathSegment, codecs: ReadonlyMap<string, OutputCodec>): unknown {
  path.push(segment);
  const decoded = decodeValue(value, path, codecs);
  path.pop();
  return decoded;
}

function decodeEach(values: readonly unknown[], path: ValuePath, codecs: ReadonlyMap<string, OutputCodec>, segment: (index: number) => PathSegment): unknown[] {
  return values.map((value, index) => decodeAt(value, path, segment(index), codecs));
}

function expectArray(value: unknown, path: ValuePath, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalidNode(path, `${field} is not an array`);
  return value;
}

function invalidNode(path: ValuePath, problem: string): DecodeError {
  const message = `invalid encoded value at ${path.format()}: ${problem} (expected a value written by encodeOutputs). Delete the entry.`;
  return new DecodeError(message, path.format());
}
