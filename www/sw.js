// Offline: keeps the app shell, the engine, the chart library and the
// sample data in a cache. Network first, so a new version is picked up at
// once; the cache answers when there is no network. URLs are relative to
// this file's folder, so the app works from any sub-path. Uploaded files
// never pass through here: they are read from disk, not fetched.
const CACHE = "pelacak-v1";
const SHELL = [
  "./",
  "index.html",
  "embed.html",
  "styles.css",
  "pelacak.css",
  "src/app.js",
  "src/charts.js",
  "src/dashboard.js",
  "src/dates.js",
  "src/dom.js",
  "src/embed-example.js",
  "src/engine.js",
  "src/export.js",
  "src/feed.js",
  "src/format.js",
  "src/i18n.js",
  "src/later.js",
  "src/memo.js",
  "src/pelacak-dashboard.js",
  "src/reads.js",
  "src/schema.js",
  "src/table.js",
  "src/tokenise-worker.js",
  "src/views.js",
  "src/warmup.js",
  "src/worker.js",
  "pkg/pelacak_core.js",
  "pkg/pelacak_core_bg.wasm",
  "pkg/pelacak.js",
  "pkg/pelacak_bg.wasm",
  "vendor/d3.min.js",
  "vendor/plot.umd.min.js",
  "sample/reps.csv",
  "sample/products.csv",
  "sample/quotas.csv",
  "sample/leads.csv",
  "sample/deals.csv",
  "sample/stage_history.csv",
  "sample/activities.csv",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // One missing file (a build without sample data) must not void the rest.
      await Promise.all(SHELL.map((path) => cache.add(new URL(path, self.registration.scope)).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || !req.url.startsWith(self.registration.scope)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const res = await fetch(req);
        if (res.ok && res.type === "basic") await cache.put(req, res.clone());
        return res;
      } catch (err) {
        const hit =
          (await cache.match(req, { ignoreSearch: true })) ??
          (req.mode === "navigate" ? await cache.match(new URL("index.html", self.registration.scope)) : undefined);
        if (hit) return hit;
        throw err;
      }
    })(),
  );
});
