import type { CacheEntryInfo, CacheStore } from "../runtime/index.ts";

/** Share of the browser's quota above which the panel warns and offers to free space. */
const nearQuota = 0.8;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function formatAge(milliseconds: number): string {
  const minutes = Math.round(milliseconds / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/**
 * Builds the storage panel: whether storage is persistent, the browser's usage and quota, and
 * the notebook's cache entries with their size, age and last use, each deletable. Near the
 * quota it warns and offers to evict the least recently used entries, after the user agrees.
 */
export function storagePanel(store: CacheStore, notebook: string): HTMLElement & { refresh(): Promise<void> } {
  const root = document.createElement("details");
  root.className = "storage-panel";
  root.setAttribute("data-view", "storage");
  const summary = document.createElement("summary");
  summary.textContent = "Storage";
  const status = document.createElement("div");
  const warning = document.createElement("div");
  warning.className = "notice";
  warning.hidden = true;
  const table = document.createElement("table");
  table.className = "class-table";
  const actions = document.createElement("div");
  const deleteAll = document.createElement("button");
  deleteAll.textContent = "Delete all results of this notebook";
  const evict = document.createElement("button");
  evict.textContent = "Free space…";
  evict.title = "Delete the least recently used results of every notebook, after you confirm";
  actions.append(deleteAll, " ", evict);
  root.append(summary, status, warning, table, actions);

  let persisted = "not requested";
  const refresh = async () => {
    const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
    const entries = await store.list(notebook);
    const cacheBytes = await store.usage();
    const usage = estimate.usage ?? 0;
    const quota = estimate.quota ?? 0;
    status.textContent =
      `Results of this notebook: ${entries.length} entries, ${formatBytes(entries.reduce((sum, entry) => sum + entry.sizeBytes, 0))}. ` +
      `All cached results: ${formatBytes(cacheBytes)}. Browser storage: ${formatBytes(usage)} of ${quota ? formatBytes(quota) : "an unknown quota"} used; persistent storage ${persisted}.`;
    const full = quota > 0 && usage / quota > nearQuota;
    warning.hidden = !full;
    warning.textContent = full ? `Storage is ${Math.round((usage / quota) * 100)}% full: new results may not be kept. Use "Free space…" to delete the least recently used results.` : "";
    renderEntries(entries);
  };

  const renderEntries = (entries: CacheEntryInfo[]) => {
    const now = Date.now();
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    for (const label of ["cell", "size", "created", "last used", ""]) head.appendChild(Object.assign(document.createElement("th"), { textContent: label }));
    const body = table.createTBody();
    for (const entry of entries) {
      const row = body.insertRow();
      row.dataset.key = entry.key;
      row.insertCell().textContent = entry.cellId;
      row.insertCell().textContent = formatBytes(entry.sizeBytes);
      row.insertCell().textContent = formatAge(now - entry.createdAt);
      row.insertCell().textContent = formatAge(now - entry.lastUsedAt);
      const remove = document.createElement("button");
      remove.textContent = "Delete";
      remove.addEventListener("click", async () => {
        await store.delete(entry.key);
        await refresh();
      });
      row.insertCell().append(remove);
    }
  };

  deleteAll.addEventListener("click", async () => {
    await store.deleteNotebook(notebook);
    await refresh();
  });
  evict.addEventListener("click", async () => {
    const total = await store.usage();
    const toFree = Math.ceil(total / 2);
    // Eviction deletes other notebooks' results too, so it happens only with the user's consent.
    if (!confirm(`Delete the least recently used cached results, about ${formatBytes(toFree)} of ${formatBytes(total)}? They will be recomputed when needed.`)) return;
    await store.evictLeastRecentlyUsed(toFree);
    await refresh();
  });
  root.addEventListener("toggle", () => {
    if (root.open) void refresh();
  });
  if (navigator.storage?.persist) {
    void navigator.storage.persist().then((granted) => {
      persisted = granted ? "granted" : "not granted (the browser may clear results under storage pressure)";
    });
  }
  return Object.assign(root, { refresh });
}
