/**
 * Writes the service worker of a published site. On install it stores every file of the
 * site in a cache named after their content hashes; afterwards it serves each request for
 * one of them from that cache, so the site opens with no network. A rebuilt site has
 * another cache name, and activating it deletes the older caches of the same scope.
 */
export function serviceWorkerSource(files: readonly string[], version: string): string {
  const cacheName = `carryover-site-${version}`;
  return `// Written by carryover build: keeps this site's files for offline visits.
const cacheName = ${JSON.stringify(cacheName)};
const files = ${JSON.stringify(["./", ...files])};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(files)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("carryover-site-") && name !== cacheName).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(cacheName)
      .then((cache) => cache.match(request, { ignoreSearch: true }))
      .then((cached) => cached ?? fetch(request)),
  );
});
`;
}
