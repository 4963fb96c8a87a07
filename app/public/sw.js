// 值班簿 Shiftbook service worker: keeps the app shell so the app opens offline.
//
// - install: precaches the shell (index.html and the hashed .js/.wasm/.css the
//   build emitted, every split piece included, manifest, icons); the hashed
//   files from the HTTP cache, where the page that registered the worker has
//   just put them. scripts/sw-precache.sh (run by scripts/build-app.sh)
//   writes the real list and a build id below, so every build is a new worker
//   with a new cache.
// - activate: deletes caches of older builds and takes control of open pages.
// - navigations (/, /enroll, any SPA route): network first; when offline (or the
//   network hangs) the cached index.html, and the app routes on the client.
// - static assets: cache first, fetched and stored on a miss.
// - /sync and /api/*: never touched, never cached (live data and auth).

const BUILD = "dev"; // @build (replaced at build time)
const PRECACHE = []; // @precache (replaced at build time)

const CACHE_PREFIX = "shiftbook-shell-";
const CACHE = CACHE_PREFIX + BUILD;
const SHELL = "/index.html";
// How long a navigation waits for the network before the cached shell is used.
const NAVIGATION_TIMEOUT_MS = 4000;
// The server's rule for immutable files (sync-server/src/assets.rs, is_hashed_name).
const HASHED = /-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css)$/;
const STATIC_ASSET = /\.(?:js|mjs|wasm|css|png|svg|ico|webp|jpg|jpeg|woff2?|webmanifest)$/;

function neverCache(url) {
  return url.pathname === "/sync" || url.pathname.startsWith("/sync/") ||
         url.pathname === "/api" || url.pathname.startsWith("/api/");
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // A file named with its content hash (name-<hex>.js, _bg.wasm, .css,
    // the split pieces) is this build's wherever it comes from: take the HTTP cache's
    // copy, the one the page has just loaded, instead of downloading the app
    // a second time. Anything else bypasses the HTTP cache (`reload`), so
    // the shell is this build's.
    await cache.addAll(PRECACHE.map((path) =>
      new Request(path, { cache: HASHED.test(path) ? "default" : "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(CACHE_PREFIX) && key !== CACHE) {
        await caches.delete(key);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || neverCache(url)) return;

  if (request.mode === "navigate") {
    event.respondWith(navigation(request));
  } else if (STATIC_ASSET.test(url.pathname) && url.pathname !== "/sw.js") {
    event.respondWith(cacheFirst(request));
  }
  // Anything else goes to the network as if there were no service worker.
});

async function cachedShell() {
  const cache = await caches.open(CACHE);
  return (await cache.match(SHELL)) || (await caches.match(SHELL));
}

async function navigation(request) {
  const network = fetch(request);
  network.catch(() => {}); // its failure is handled below; don't report it twice
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch (_offline) {
    // fall through to the cached shell
  } finally {
    clearTimeout(timer);
  }
  const shell = await cachedShell();
  if (shell) return shell;
  return network; // nothing cached yet: whatever the network gives (or its error)
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    await cache.put(request, response.clone());
  }
  return response;
}
