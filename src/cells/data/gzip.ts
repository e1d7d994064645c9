import { InputError } from "../errors.ts";

/** True when the bytes start with the gzip magic number 1f 8b (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip data with DecompressionStream (a global in Node 20 and Chromium) and returns other
 * bytes unchanged. Servers may or may not decode a `.gz` file for the client, so loaders
 * call this on every download.
 */
export async function gunzipIfCompressed(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;

  // Copy into a fresh ArrayBuffer because Blob rejects views of SharedArrayBuffer.
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream("gzip"));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(
      `invalid gzip data in ${file}: ${reason} (expected a complete gzip stream). The file is damaged or truncated; download or copy it again.`,
      { file, field: "gzip data", value: reason, cause: error },
    );
  }
}
