/* Advocate's service worker (served at /sw.js so its scope is the whole site).
 * The app shell (CSS, scripts, icons, the quick-log page) is cached so Advocate opens with no
 * connection; pages are network first, falling back to the last copy seen. Those copies are
 * private, so they are kept per session: every page names its session (X-Advocate-Session, a
 * hash; "-" signed out, crm.middleware) and a page of another session, the login page after
 * signing out included, deletes every copy kept for the one before. Writes are never
 * cached or replayed here: an offline quick-log waits in IndexedDB (static/js/app.js) and is
 * sent, with its idempotency key, when the connection returns. */
var VERSION = "{{ version }}";
var SHELL = "advocate-shell-" + VERSION;
var PAGES_PREFIX = "advocate-pages";  // + "-" + the session's mark
var SHELL_URLS = [{% for url in shell_urls %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var OFFLINE_PAGES = [{% for url in offline_pages %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_URLS); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("advocate-shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function pageCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PAGES_PREFIX) === 0; });
  });
}

// Delete every kept page except the given session's ("" keeps none).
function forgetPagesBut(keep) {
  return pageCaches().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== keep; })
      .map(function (name) { return caches.delete(name); }));
  });
}

// A signed-out page also asks for the cached pages to be forgotten (a shared phone).
self.addEventListener("message", function (event) {
  if (event.data === "forget-pages") event.waitUntil(forgetPagesBut(""));
});

function pageFromNetwork(request) {
  return fetch(request).then(function (response) {
    var mark = response.headers.get("X-Advocate-Session");
    if (!mark || mark === "-") {
      // Signed out (or a page that cannot say): nothing private may stay behind.
      return forgetPagesBut("").then(function () { return response; });
    }
    var name = PAGES_PREFIX + "-" + mark;
    // Only whole pages the student really saw: not a redirect to the login, not an error.
    var keep = response.ok && !response.redirected && response.type === "basic";
    var copy = keep ? response.clone() : null;
    return forgetPagesBut(name).then(function () {
      if (copy) return caches.open(name).then(function (cache) { return cache.put(request.url.split("#")[0], copy); });
    }).then(function () { return response; }, function () { return response; });
  });
}

function pageFromCache(request) {
  return pageCaches().then(function (names) {
    // At most one session's pages are kept; none: the offline answer below.
    return caches.open(names[0] || PAGES_PREFIX + "-none");
  }).then(function (cache) {
    return cache.match(request, { ignoreSearch: false }).then(function (hit) {
      if (hit) return hit;
      var tries = OFFLINE_PAGES.map(function (url) { return cache.match(url); });
      return Promise.all(tries).then(function (hits) {
        var found = hits.filter(Boolean)[0];
        return found || new Response(
          "<!doctype html><html lang=en><meta name=viewport content='width=device-width'>" +
          "<title>Offline · Advocate</title><main style='font:1.1rem system-ui;padding:1rem'>" +
          "<h1>No connection</h1><p>Open Advocate once while online and it will work here next time.</p></main>",
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
        );
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.headers.get("HX-Request")) return;  // fragments are never kept
  if (SHELL_URLS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request).catch(function () { return pageFromCache(request); }));
  }
});
