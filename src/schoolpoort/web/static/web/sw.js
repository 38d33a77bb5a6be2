/* Schoolpoort service worker. Served at /sw.js by schoolpoort.web.pwa.service_worker, which puts
   `const CONFIG = {...}` (URLs, version) in front of this file.
   - install: stores the offline page, the CSS and the icons;
   - fetch: static files cache-first; page visits network-first; the last good copy of the home
     page and the news feed is kept so they can be read offline; other pages fall back to the
     offline page. Nothing else is stored: no POSTs, no other sites, no photos or documents;
   - push / notificationclick: shows the notification and opens its page when it is tapped. */

const STATIC_CACHE = `schoolpoort-static-${CONFIG.version}`;
const PAGES_CACHE = "schoolpoort-pages-v1"; // kept across versions: the last feed survives an update

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.precache))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = [STATIC_CACHE, PAGES_CACHE];
    for (const name of await caches.keys()) {
      if (name.startsWith("schoolpoort-") && !keep.includes(name)) await caches.delete(name);
    }
    await self.clients.claim(); // control the open pages at once
  })());
});

// "/nieuws/?page=2" is kept as "/nieuws/": one copy per page, the newest.
function pageKey(url) {
  return new URL(url.pathname, url.origin).href;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return; // other sites: the browser's own way

  if (request.method !== "GET") {
    // Signing in or out on this device: forget the pages kept for the previous person, and stop
    // this device's push messages after a sign-out (the server drops the subscription once the
    // push service reports it gone).
    if (request.mode === "navigate" && CONFIG.accountPaths.includes(url.pathname)) {
      event.waitUntil((async () => {
        await caches.delete(PAGES_CACHE);
        if (url.pathname === CONFIG.logoutPath && self.registration.pushManager) {
          const subscription = await self.registration.pushManager.getSubscription();
          if (subscription) await subscription.unsubscribe();
        }
      })());
    }
    return; // never cached
  }

  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageVisit(request, url));
  }
  // Other GETs (htmx fragments, the API, media): straight to the network, never stored.
});

async function staticFirst(request) {
  const cached = await caches.match(request, {cacheName: STATIC_CACHE, ignoreVary: true});
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

// The page says it is a kept copy by this mark: navigator.onLine is not reliable for it (a captive
// portal, a server that is down, or a browser that answers true while offline is emulated).
async function markedAsCopy(response) {
  const html = (await response.text()).replace("<html", '<html data-offline-copy=""');
  return new Response(html, {status: response.status, statusText: response.statusText, headers: response.headers});
}

async function pageVisit(request, url) {
  const keep = CONFIG.offlineReadable.includes(url.pathname);
  const key = pageKey(url);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    // Offline (or the server is unreachable): the kept copy, else the offline page.
    const cache = await caches.open(PAGES_CACHE);
    const copy = keep && await cache.match(key, {ignoreVary: true});
    if (copy) return markedAsCopy(copy);
    return (await caches.match(CONFIG.offlineUrl, {ignoreVary: true})) || Response.error();
  }
  if (keep) {
    const cache = await caches.open(PAGES_CACHE);
    if (response.ok && response.type === "basic") {
      await cache.put(key, response.clone());
    } else if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await cache.delete(key); // signed out: sent to the login page; do not show the old copy
    }
  }
  return response;
}

self.addEventListener("push", (event) => {
  // The server sends {"title", "body", "url", "tag"}: a title and a link, never sensitive content.
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {body: event.data.text()};
  }
  const options = {
    body: data.body || "",
    icon: CONFIG.icon,
    badge: CONFIG.badge,
    lang: data.lang || undefined,
    data: {url: sameSiteUrl(data.url)},
  };
  if (data.tag) options.tag = data.tag; // a newer message about the same thing replaces the old one
  event.waitUntil(self.registration.showNotification(data.title || CONFIG.defaultTitle, options));
});

// Only pages of this site are opened from a notification.
function sameSiteUrl(value) {
  try {
    const url = new URL(value || "/", self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch (error) { /* not a URL */ }
  return new URL("/", self.location.origin).href;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = sameSiteUrl(event.notification.data && event.notification.data.url);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({type: "window", includeUncontrolled: true});
    const open = windows.find((client) => client.url === target);
    if (open) return open.focus();
    return self.clients.openWindow(target);
  })());
});
