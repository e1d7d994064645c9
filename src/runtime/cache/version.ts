/**
 * Version of everything the cache writes: the canonical serialisation behind keys and
 * checksums (`canonical.ts`), the encoded output format (`codec.ts`) and the stored record
 * shapes (`schema.ts`). Bump it whenever a change would make an old key name different
 * content, or make an old entry decode to a different value. Opening a cache written with
 * another format version clears its entries, so a bump costs one recomputation and never
 * returns a stale value.
 */
export const CACHE_FORMAT_VERSION = 1;
