// The kiosk's app shell, cached so a tablet reloaded while the server PC is off still shows the
// kiosk and keeps queueing scans. The build writes the list of built files over the placeholder.
// Only the app itself is cached: /api and /socket.io always go to the network, so nothing a
// server decided is ever answered from a cache.
const SHELL = self.__APP_SHELL__;
const SCOPE_PATH = new URL(self.registration.scope).pathname;
const CACHE = `kiosk-shell-${hash(SHELL.join('\n'))}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `reload` skips the HTTP cache, so the shell is the one this worker was built with.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('kiosk-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE_PATH)) return;
  if (request.mode === 'navigate') {
    // Network first, so a new version is picked up at once; the cached page when the server is down.
    // Any kiosk address (?pair=…, deep links) gets the same single-page app.
    event.respondWith(fetch(request).catch(() => caches.match(SCOPE_PATH, { cacheName: CACHE }).then((page) => page ?? Response.error())));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then((cached) => cached ?? fetch(request)));
});

function hash(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
