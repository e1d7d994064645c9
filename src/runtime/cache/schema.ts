/**
 * The cache's IndexedDB schema, and opening a database so that a schema or format written by
 * another version of Carryover is rebuilt or cleared and never read as current.
 *
 * Metadata and encoded outputs live in separate object stores, so listing, measuring and
 * evicting entries never reads the outputs, which can be tens of megabytes each.
 */
import { wrap, type DBSchema, type IDBPDatabase } from "idb";
import type { EncodedOutputs } from "./codec.ts";
import type { KeyIngredients } from "./hash.ts";
import { describeSetting } from "./values.ts";

export const CACHE_DB_NAME = "carryover-cache";

/** IndexedDB version of the object stores and indexes in STORE_LAYOUT. Bump it when the layout changes. */
export const CACHE_DB_VERSION = 1;

/** Everything stored about an entry except its outputs. Times are milliseconds since the Unix epoch. */
export interface CacheEntryInfo {
  readonly key: string;
  readonly notebook: string;
  readonly cellId: string;
  /** xxhash128 of the encoded outputs' canonical serialisation. */
  readonly checksum: string;
  readonly formatVersion: number;
  readonly libraryVersion: string;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  /** Estimated stored size of the outputs in bytes: binary data byte for byte, strings at 2 bytes per code unit. */
  readonly sizeBytes: number;
  readonly ingredients: KeyIngredients;
}

export interface StoredOutputs {
  readonly key: string;
  /** Same as the entry's checksum, so a mismatch shows metadata and outputs from different writes. */
  readonly checksum: string;
  readonly outputs: EncodedOutputs;
}

interface FormatRecord {
  readonly key: "format";
  readonly formatVersion: number;
}

export interface CacheSchema extends DBSchema {
  entries: {
    key: string;
    value: CacheEntryInfo;
    indexes: { "by-notebook": string; "by-lastUsedAt": number; "by-cell": [string, string] };
  };
  outputs: { key: string; value: StoredOutputs };
  meta: { key: string; value: FormatRecord };
}

export type CacheDatabase = IDBPDatabase<CacheSchema>;

const STORE_LAYOUT = {
  entries: {
    keyPath: "key",
    indexes: { "by-notebook": "notebook", "by-lastUsedAt": "lastUsedAt", "by-cell": ["notebook", "cellId"] },
  },
  outputs: { keyPath: "key", indexes: {} },
  meta: { keyPath: "key", indexes: {} },
} as const satisfies Record<string, { keyPath: string; indexes: Record<string, string | readonly string[]> }>;

const STORE_NAMES = Object.keys(STORE_LAYOUT) as (keyof typeof STORE_LAYOUT)[];

/**
 * Outcome of opening. `cleared` means that entries written by another schema or format version
 * were removed, and `reason` is a sentence about it that the page can show.
 */
export type OpenStatus = { readonly status: "created" } | { readonly status: "ready" } | { readonly status: "cleared"; readonly reason: string };

export interface OpenDatabaseOptions {
  readonly indexedDB: IDBFactory;
  readonly name: string;
  readonly formatVersion: number;
  /** Called when another tab keeps an older connection open, which delays the upgrade until that tab closes it. */
  readonly onBlocked: () => void;
}

/** Opens the database, rebuilding stores of another layout and clearing entries of another format version. */
export async function openCacheDatabase(options: OpenDatabaseOptions): Promise<{ db: CacheDatabase; status: OpenStatus }> {
  const { indexedDB, name, onBlocked } = options;
  let upgradedFrom: number | undefined;
  let db: CacheDatabase;
  try {
    db = await openRequest(indexedDB, name, CACHE_DB_VERSION, onBlocked, (raw, oldVersion) => {
      upgradedFrom = oldVersion;
      rebuildStores(raw);
    });
  } catch (error) {
    if (!(error instanceof Error && error.name === "VersionError")) throw error;
    // A newer Carryover raised the version. Its stores may still have this layout, which the check below decides.
    db = await openRequest(indexedDB, name, undefined, onBlocked);
  }

  let reason: string | undefined;
  if (!hasStoreLayout(db)) {
    const found = db.version;
    db.close();
    db = await openRequest(indexedDB, name, found + 1, onBlocked, rebuildStores);
    reason = `cache database at schema ${found} lacks the object stores of schema ${CACHE_DB_VERSION}: entries will be recomputed`;
  } else if (upgradedFrom !== undefined && upgradedFrom > 0) {
    reason = `cache schema ${upgradedFrom} is older than ${CACHE_DB_VERSION}: entries will be recomputed`;
  }

  const formatReason = await applyFormatVersion(db, options.formatVersion);
  reason ??= formatReason;
  if (reason !== undefined) return { db, status: { status: "cleared", reason } };
  return { db, status: { status: upgradedFrom === 0 ? "created" : "ready" } };
}

/** Clears the entries unless the database records `formatVersion`, then records it. Returns why it cleared. */
async function applyFormatVersion(db: CacheDatabase, formatVersion: number): Promise<string | undefined> {
  const tx = db.transaction(["entries", "outputs", "meta"], "readwrite");
  const meta = tx.objectStore("meta");
  const [stored, count] = await Promise.all([meta.get("format"), tx.objectStore("entries").count()]);
  let reason: string | undefined;
  if (stored?.formatVersion !== formatVersion) {
    const found = stored?.formatVersion;
    if (typeof found === "number") {
      reason = `cache format ${found} is ${found < formatVersion ? "older" : "newer"} than ${formatVersion}: entries will be recomputed`;
    } else if (stored !== undefined || count > 0) {
      reason = `cache format ${describeSetting(found)} is not a version number (expected ${formatVersion}): entries will be recomputed`;
    }
    await Promise.all([tx.objectStore("entries").clear(), tx.objectStore("outputs").clear(), meta.put({ key: "format", formatVersion })]);
  }
  await tx.done;
  return reason;
}

function openRequest(
  indexedDB: IDBFactory,
  name: string,
  version: number | undefined,
  onBlocked: () => void,
  upgrade?: (db: IDBDatabase, oldVersion: number) => void,
): Promise<CacheDatabase> {
  const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
  if (upgrade) request.addEventListener("upgradeneeded", (event) => upgrade(request.result, event.oldVersion));
  request.addEventListener("blocked", onBlocked);
  return wrap(request) as Promise<CacheDatabase>;
}

/** Deletes every object store, whatever wrote it, and creates the stores of STORE_LAYOUT. Runs in an upgrade transaction. */
function rebuildStores(db: IDBDatabase): void {
  for (const name of storeNamesOf(db.objectStoreNames)) db.deleteObjectStore(name);
  for (const name of STORE_NAMES) {
    const layout = STORE_LAYOUT[name];
    const store = db.createObjectStore(name, { keyPath: layout.keyPath });
    for (const [index, keyPath] of Object.entries(layout.indexes)) store.createIndex(index, keyPath as string | string[]);
  }
}

/** True when the database has exactly the stores and indexes of STORE_LAYOUT. */
function hasStoreLayout(db: CacheDatabase): boolean {
  const present = storeNamesOf(db.objectStoreNames);
  if (present.length !== STORE_NAMES.length || !STORE_NAMES.every((name) => present.includes(name))) return false;
  // A transaction without requests commits by itself. It is the only way to read a store's indexes after opening.
  const tx = db.transaction(STORE_NAMES, "readonly");
  return STORE_NAMES.every((name) => {
    const store = tx.objectStore(name);
    const indexes: Record<string, string | readonly string[]> = STORE_LAYOUT[name].indexes;
    const indexNames = storeNamesOf(store.indexNames);
    if (JSON.stringify(store.keyPath) !== JSON.stringify(STORE_LAYOUT[name].keyPath)) return false;
    if (indexNames.length !== Object.keys(indexes).length) return false;
    return indexNames.every((index) => Object.hasOwn(indexes, index) && JSON.stringify(store.index(index as never).keyPath) === JSON.stringify(indexes[index]));
  });
}

function storeNamesOf(list: DOMStringList): string[] {
  const names: string[] = [];
  for (let index = 0; index < list.length; index += 1) names.push(list.item(index)!);
  return names;
}
