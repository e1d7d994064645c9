/**
 * Persistent, content-keyed cache of cell results: keys (hash.ts), value encoding (codec.ts,
 * decode.ts) and the IndexedDB store (store.ts).
 */
export { CACHE_FORMAT_VERSION } from "./version.ts";
export { UnhashableError, type HashAdapter, type UnhashableReason } from "./canonical.ts";
export { CONTENT_KEY } from "./values.ts";
export {
  computeKey,
  contentKey,
  explainKeyChange,
  type ComputedKey,
  type KeyChange,
  type KeyIngredientName,
  type KeyIngredients,
  type KeyOptions,
  type KeyParts,
} from "./hash.ts";
export {
  DecodeError,
  SequenceRecord,
  UnencodableError,
  checksumOutputs,
  encodeOutputs,
  type CodecOptions,
  type EncodedNode,
  type EncodedOutput,
  type EncodedOutputs,
  type EncodedValue,
  type OutputCodec,
} from "./codec.ts";
export { decodeOutputs } from "./decode.ts";
export { CACHE_DB_NAME, CACHE_DB_VERSION, type CacheEntryInfo, type OpenStatus } from "./schema.ts";
export { QuotaError } from "./quota.ts";
export { CacheStore, type CacheLookup, type CacheStoreOptions, type CachedEntry, type KeyLocks, type NewCacheEntry } from "./store.ts";
export { Warnings } from "./warn.ts";
