/**
 * The persistent cache of cell results, in IndexedDB through `idb`. Every write is one
 * readwrite transaction over the metadata and the outputs, so a failed write (quota, abort,
 * a closed tab) leaves the previous entry or nothing, never half an entry. When two tabs put
 * the same key, IndexedDB runs their transactions one after the other and the last one to
 * commit wins, whole. `withKeyLock` keeps the second tab from computing the same result at all.
 */
import { CACHE_FORMAT_VERSION } from "./version.ts";
import { checksumOutputs, encodeOutputs, type OutputCodec } from "./codec.ts";
import { decodeOutputs } from "./decode.ts";
import type { KeyIngredients } from "./hash.ts";
import { CACHE_DB_NAME, openCacheDatabase, type CacheDatabase, type CacheEntryInfo, type OpenStatus, type StoredOutputs } from "./schema.ts";
import { QuotaError, describeStorage, isQuotaExceeded } from "./quota.ts";
import { describeSetting, describeThrown } from "./values.ts";
import { Warnings } from "./warn.ts";

/** The part of the Web Locks API that `withKeyLock` uses. `navigator.locks` has it. */
export interface KeyLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface CacheStoreOptions {
  /** Database name. Default CACHE_DB_NAME. */
  readonly name?: string;
  /** Default `globalThis.indexedDB`. Tests pass a fake-indexeddb IDBFactory. */
  readonly indexedDB?: IDBFactory;
  /** Codecs for output values that structured clone would flatten, such as tensors. */
  readonly codecs?: readonly OutputCodec[];
  /** Receives one warning per distinct problem, such as a corrupt entry. Default: a Warnings that prints to console.warn. */
  readonly warnings?: Warnings;
  /** Clock for createdAt and lastUsedAt, in milliseconds since the Unix epoch. Default Date.now. */
  readonly now?: () => number;
  /** Locks for `withKeyLock`. Default `navigator.locks` where it exists. Null runs without locks. */
  readonly locks?: KeyLocks | null;
  /** Format version to read and write. Default CACHE_FORMAT_VERSION. Other values are for tests that write an old cache. */
  readonly formatVersion?: number;
}

/** An entry to store. `put` adds the checksum, size, format version and times. */
export interface NewCacheEntry {
  readonly key: string;
  readonly notebook: string;
  readonly cellId: string;
  /** Output values by name. A generator output goes in as a SequenceRecord of its yielded values. */
  readonly outputs: ReadonlyMap<string, unknown>;
  readonly libraryVersion: string;
  readonly ingredients: KeyIngredients;
}

export interface CachedEntry extends CacheEntryInfo {
  /** Decoded output values by name. */
  readonly outputs: Map<string, unknown>;
}

/** The outcome of `get`. A corrupt entry has already been deleted and reported once through the warnings. */
export type CacheLookup =
  | { readonly status: "hit"; readonly entry: CachedEntry }
  | { readonly status: "miss" }
  | { readonly status: "corrupt"; readonly reason: string };

export class CacheStore {
  readonly name: string;
  /** Outcome of opening: a new database, an existing one, or one whose old entries were cleared. */
  readonly openStatus: OpenStatus;
  private readonly db: CacheDatabase;
  private readonly codecs: readonly OutputCodec[];
  private readonly warnings: Warnings;
  private readonly now: () => number;
  private readonly locks: KeyLocks | null;
  private readonly formatVersion: number;
  private closedReason: string | null = null;

  private constructor(db: CacheDatabase, status: OpenStatus, name: string, options: CacheStoreOptions, warnings: Warnings) {
    this.db = db;
    this.openStatus = status;
    this.name = name;
    this.codecs = options.codecs ?? [];
    this.warnings = warnings;
    this.now = options.now ?? Date.now;
    this.formatVersion = options.formatVersion ?? CACHE_FORMAT_VERSION;
    const navigatorLocks = (globalThis as { navigator?: { locks?: KeyLocks } }).navigator?.locks;
    this.locks = options.locks === undefined ? (navigatorLocks ?? null) : options.locks;

    // A tab that upgrades or deletes the database waits until every other connection closes.
    db.addEventListener("versionchange", () => {
      db.close();
      this.markClosed("another tab upgraded or deleted the cache database");
    });
    db.addEventListener("close", () => this.markClosed("the browser closed the cache database, for example because site data was cleared"));
  }

  /** Opens the database, clearing entries of another schema or format version. `openStatus` reports which. */
  static async open(options: CacheStoreOptions = {}): Promise<CacheStore> {
    const name = options.name ?? CACHE_DB_NAME;
    const indexedDB = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!indexedDB) throw new Error("missing IndexedDB (pass options.indexedDB; in Node, import \"fake-indexeddb/auto\")");
    const warnings = options.warnings ?? new Warnings();
    const formatVersion = options.formatVersion ?? CACHE_FORMAT_VERSION;
    const onBlocked = () => warnings.warn(`cache database ${JSON.stringify(name)} is waiting for another tab to close it before upgrading`);
    try {
      const { db, status } = await openCacheDatabase({ indexedDB, name, formatVersion, onBlocked });
      return new CacheStore(db, status, name, options, warnings);
    } catch (error) {
      const message = `failed to open cache database ${JSON.stringify(name)}: ${describeThrown(error)} (check that the browser allows site storage)`;
      throw new Error(message, { cause: error });
    }
  }

  /**
   * Looks up and decodes an entry. An entry whose checksum does not match or that does not
   * decode is deleted and returned as `corrupt`. It does not update lastUsedAt, so call `touch`
   * when the hit is used.
   */
  async get(key: string): Promise<CacheLookup> {
    const tx = this.database().transaction(["entries", "outputs"], "readonly");
    const [info, stored] = await Promise.all([tx.objectStore("entries").get(key), tx.objectStore("outputs").get(key), tx.done]);
    if (info === undefined && stored === undefined) return { status: "miss" };
    if (info !== undefined && info.formatVersion !== this.formatVersion) {
      // Written by a tab that runs another version of Carryover after this one opened the database.
      await this.deleteIfUnchanged(key, info.checksum, stored?.checksum);
      return { status: "miss" };
    }
    if (info === undefined || stored === undefined) {
      return this.reportCorrupt(key, info, stored?.checksum, info === undefined ? "outputs without metadata" : "metadata without outputs");
    }
    if (info.checksum !== stored.checksum) return this.reportCorrupt(key, info, stored.checksum, "metadata and outputs come from different writes");

    const decoded = await this.verifyAndDecode(info, stored);
    if (typeof decoded === "string") return this.reportCorrupt(key, info, stored.checksum, decoded);
    return { status: "hit", entry: { ...info, outputs: decoded } };
  }

  /**
   * Encodes and stores an entry, replacing any entry with the same key. Throws UnencodableError
   * for an output that cannot be stored, and QuotaError when the browser's storage is full.
   * Outputs must not change while `put` runs: a change shows up as a corrupt entry on a later `get`.
   */
  async put(entry: NewCacheEntry): Promise<CacheEntryInfo> {
    validateEntry(entry);
    const encoded = await encodeOutputs(entry.outputs, { codecs: this.codecs });
    const { checksum, sizeBytes } = await checksumOutputs(encoded);
    const now = this.now();
    const info: CacheEntryInfo = {
      key: entry.key,
      notebook: entry.notebook,
      cellId: entry.cellId,
      checksum,
      formatVersion: this.formatVersion,
      libraryVersion: entry.libraryVersion,
      createdAt: now,
      lastUsedAt: now,
      sizeBytes,
      ingredients: entry.ingredients,
    };

    const tx = this.database().transaction(["entries", "outputs"], "readwrite");
    const pending: Promise<unknown>[] = [tx.done];
    try {
      pending.push(tx.objectStore("entries").put(info));
      pending.push(tx.objectStore("outputs").put({ key: entry.key, checksum, outputs: encoded }));
      await Promise.all(pending);
    } catch (error) {
      // A put can throw synchronously (DataCloneError, some quota errors). The requests made
      // before it then reject when the abort below rolls them back, and must not go unhandled.
      for (const promise of pending) promise.catch(() => {});
      abortQuietly(tx);
      if (isQuotaExceeded(error)) throw new QuotaError(entry.cellId, sizeBytes, await describeStorage(), { cause: error });
      const message = `failed to cache the result of cell ${JSON.stringify(entry.cellId)}: ${describeThrown(error)} (nothing was stored, so the cell will be recomputed next time)`;
      throw new Error(message, { cause: error });
    }
    return info;
  }

  /** Sets the entry's lastUsedAt to now. Returns false when the key is not stored. */
  async touch(key: string): Promise<boolean> {
    const tx = this.database().transaction("entries", "readwrite");
    const info = await tx.store.get(key);
    if (info !== undefined) await tx.store.put({ ...info, lastUsedAt: this.now() });
    await tx.done;
    return info !== undefined;
  }

  /** Lists entries' metadata, most recently used first, without reading their outputs. */
  async list(notebook?: string, cellId?: string): Promise<CacheEntryInfo[]> {
    const store = this.database().transaction("entries", "readonly").store;
    let entries: CacheEntryInfo[];
    if (notebook !== undefined && cellId !== undefined) entries = await store.index("by-cell").getAll([notebook, cellId]);
    else if (notebook !== undefined) entries = await store.index("by-notebook").getAll(notebook);
    else entries = (await store.getAll()).filter((entry) => cellId === undefined || entry.cellId === cellId);
    return entries.sort((left, right) => right.lastUsedAt - left.lastUsedAt);
  }

  /** Deletes one entry. Returns false when the key is not stored. */
  async delete(key: string): Promise<boolean> {
    const tx = this.database().transaction(["entries", "outputs"], "readwrite");
    const [info, stored] = await Promise.all([tx.objectStore("entries").get(key), tx.objectStore("outputs").get(key)]);
    await Promise.all([tx.objectStore("entries").delete(key), tx.objectStore("outputs").delete(key), tx.done]);
    return info !== undefined || stored !== undefined;
  }

  /** Deletes every entry of the notebook and returns their metadata. */
  async deleteNotebook(notebook: string): Promise<CacheEntryInfo[]> {
    const tx = this.database().transaction(["entries", "outputs"], "readwrite");
    const removed = await tx.objectStore("entries").index("by-notebook").getAll(notebook);
    await Promise.all([...removed.flatMap((info) => [tx.objectStore("entries").delete(info.key), tx.objectStore("outputs").delete(info.key)]), tx.done]);
    return removed;
  }

  /**
   * Deletes least recently used entries until their sizes add up to at least `bytesToFree`, or
   * none are left, and returns their metadata in the order removed. Ask the user first: this
   * removes results that may take minutes to recompute.
   */
  async evictLeastRecentlyUsed(bytesToFree: number): Promise<CacheEntryInfo[]> {
    if (!(typeof bytesToFree === "number" && bytesToFree >= 0 && Number.isFinite(bytesToFree))) {
      throw new TypeError(`invalid bytes to free: ${describeSetting(bytesToFree)} (expected a non-negative number of bytes)`);
    }
    const tx = this.database().transaction(["entries", "outputs"], "readwrite");
    const removed: CacheEntryInfo[] = [];
    const deletions: Promise<void>[] = [];
    let freed = 0;
    if (bytesToFree > 0) {
      // Index order is lastUsedAt ascending, then key, so ties evict in a stable order.
      for (const info of await tx.objectStore("entries").index("by-lastUsedAt").getAll()) {
        if (freed >= bytesToFree) break;
        removed.push(info);
        freed += info.sizeBytes;
        deletions.push(tx.objectStore("entries").delete(info.key), tx.objectStore("outputs").delete(info.key));
      }
    }
    await Promise.all([...deletions, tx.done]);
    return removed;
  }

  /** Returns the sum of the entries' sizeBytes: an estimate of the cache's stored size in bytes. */
  async usage(): Promise<number> {
    const entries = await this.database().transaction("entries", "readonly").store.getAll();
    return entries.reduce((total, entry) => total + entry.sizeBytes, 0);
  }

  /**
   * Runs `fn` while holding a Web Lock named after this database and `key`, so that a second
   * tab that requests the same key waits for the first one's result instead of computing it
   * again. Returns what `fn` returns.
   */
  async withKeyLock<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
    // NOTE: without the Web Locks API (Node 20, and a store opened with `locks: null`) `fn`
    // runs at once, unlocked. Two writers of one key then both compute it, and the last put wins.
    if (this.locks === null) return await fn();
    return this.locks.request(`${this.name} ${key}`, async () => await fn());
  }

  /** Closes the database connection. Later calls raise an error. */
  close(): void {
    if (this.closedReason !== null) return;
    this.closedReason = "close() was called";
    this.db.close();
  }

  private database(): CacheDatabase {
    if (this.closedReason !== null) throw new Error(`cache store is closed: ${this.closedReason} (open a new CacheStore, or reload the page)`);
    return this.db;
  }

  private markClosed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.warnings.warn(`cache disabled: ${reason}. Reload the page to use the cache again.`);
  }

  /** Returns the decoded outputs, or the reason they are corrupt. */
  private async verifyAndDecode(info: CacheEntryInfo, stored: StoredOutputs): Promise<Map<string, unknown> | string> {
    try {
      const { checksum } = await checksumOutputs(stored.outputs);
      if (checksum !== info.checksum) return "checksum mismatch";
      return decodeOutputs(stored.outputs, { codecs: this.codecs });
    } catch (error) {
      return `undecodable outputs: ${describeThrown(error)}`;
    }
  }

  private async reportCorrupt(key: string, info: CacheEntryInfo | undefined, outputsChecksum: string | undefined, reason: string): Promise<CacheLookup> {
    await this.deleteIfUnchanged(key, info?.checksum, outputsChecksum);
    const entry = info === undefined ? `key ${key}` : `cell ${JSON.stringify(info.cellId)} in notebook ${JSON.stringify(info.notebook)}`;
    this.warnings.warn(`cache entry for ${entry} is corrupt (${reason}): deleted it, so the cell will be recomputed`);
    return { status: "corrupt", reason };
  }

  /** Deletes the entry unless another put replaced it since it was read, which the checksums show. */
  private async deleteIfUnchanged(key: string, entryChecksum: string | undefined, outputsChecksum: string | undefined): Promise<void> {
    const tx = this.database().transaction(["entries", "outputs"], "readwrite");
    const [info, stored] = await Promise.all([tx.objectStore("entries").get(key), tx.objectStore("outputs").get(key)]);
    if (info?.checksum === entryChecksum && stored?.checksum === outputsChecksum) {
      await Promise.all([tx.objectStore("entries").delete(key), tx.objectStore("outputs").delete(key)]);
    }
    await tx.done;
  }
}

function validateEntry(entry: NewCacheEntry): void {
  for (const field of ["key", "notebook", "cellId", "libraryVersion"] as const) {
    if (typeof entry[field] !== "string" || entry[field] === "") {
      throw new TypeError(`invalid cache entry ${field}: ${describeSetting(entry[field])} (expected a non-empty string)`);
    }
  }
  if (!(entry.outputs instanceof Map)) throw new TypeError(`invalid cache entry outputs: ${describeSetting(entry.outputs)} (expected a Map of output values by name)`);
  if (typeof entry.ingredients !== "object" || entry.ingredients === null) {
    throw new TypeError(`invalid cache entry ingredients: ${describeSetting(entry.ingredients)} (expected the ingredients from computeKey)`);
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // The transaction already finished or aborted, which leaves nothing written either.
  }
}
