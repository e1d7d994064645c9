/**
 * JSON with typed arrays: each typed array is written as `{ "$typed": "<constructor>", "base64": … }`
 * holding its bytes in little-endian order, so recorded activations stay compact and exact.
 */
const constructors = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;

type TypedName = keyof typeof constructors;

interface EncodedArray {
  $typed: TypedName;
  base64: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function stringifyTyped(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
        const name = item.constructor.name as TypedName;
        const bytes = new Uint8Array(item.buffer, item.byteOffset, item.byteLength);
        return { $typed: name, base64: toBase64(bytes) } satisfies EncodedArray;
      }
      // JSON has no NaN: per-class accuracy of an absent class is NaN, so keep it as a string.
      if (typeof item === "number" && !Number.isFinite(item)) return { $number: String(item) };
      return item;
    },
    indent,
  );
}

export function parseTyped(text: string, file: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item && typeof item === "object" && "$typed" in item) {
      const { $typed, base64 } = item as EncodedArray;
      const Constructor = constructors[$typed];
      if (!Constructor) throw new Error(`invalid typed array in ${file}: ${JSON.stringify($typed)} (expected one of ${Object.keys(constructors).join(", ")})`);
      const bytes = fromBase64(base64);
      if (bytes.length % Constructor.BYTES_PER_ELEMENT !== 0) {
        throw new Error(`invalid ${$typed} in ${file}: ${bytes.length} bytes (expected a multiple of ${Constructor.BYTES_PER_ELEMENT})`);
      }
      return new Constructor(bytes.buffer as ArrayBuffer, 0, bytes.length / Constructor.BYTES_PER_ELEMENT);
    }
    if (item && typeof item === "object" && "$number" in item) return Number((item as { $number: string }).$number);
    return item;
  });
}
