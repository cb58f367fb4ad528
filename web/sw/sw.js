// The service worker: keeps the app shell only (index.html, the entry's hashed JS/CSS, the core message
// catalogs, icons, the offline page), so the portal opens fast on a weak connection and a reload without one shows the offline page.
// It never keeps an API answer, /config.json, or anything else that could hold a patient's data.
// The build (vite.config.ts) puts the shell's file list and a version in front of this file.
/* global self, caches, fetch, URL */
const SHELL = self.__SHELL__ || [];
const CACHE = `shell-${self.__VERSION__ || 'dev'}`;
const OFFLINE = '/offline.html';
const STATIC = [
  OFFLINE,
  '/offline.css',
  '/favicon.svg',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/icon-maskable-512.png',
];

function neverKept(path) {
  return path === '/api' || path.startsWith('/api/') || path === '/config.json' || path.startsWith('/_local/');
}

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the person chooses to reload (the page asks them).
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...SHELL, ...STATIC])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('shell-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || neverKept(url.pathname)) return; // the network, untouched

  if (request.mode === 'navigate') {
    // Pages always come from the network (the newest app); without one, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed names never change content: the cache first, and a chunk first loaded later is kept too.
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ||
          fetch(request).then((response) => {
            if (response.ok && response.type === 'basic') {
              const copy = response.clone();
              void caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
    return;
  }
  if (STATIC.includes(url.pathname) || SHELL.includes(url.pathname)) {
    // The network first (a clinic's phone number or name may change), the kept copy without one.
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});
