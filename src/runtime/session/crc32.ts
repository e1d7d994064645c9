/**
 * CRC-32 as defined by ISO 3309 and used by zlib, gzip and PNG (reflected polynomial
 * 0xEDB88320, initial value and final XOR 0xFFFFFFFF), so other languages can check a
 * session with their standard library (Python `zlib.crc32`, Go `hash/crc32.ChecksumIEEE`).
 * It detects corruption in transit, not deliberate tampering.
 */
const table = (() => {
  const entries = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    entries[n] = c >>> 0;
  }
  return entries;
})();

/** Returns the CRC-32 of `bytes` as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Formats a CRC-32 as eight hexadecimal digits, as checksum tools print it. */
export function formatCrc(value: number): string {
  return value.toString(16).padStart(8, "0");
}
