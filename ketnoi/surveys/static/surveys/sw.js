/* The respondents' service worker, served at /s/sw.js (scope /s/) by views_respond.service_worker,
 * which writes self.KETNOI_RESPOND = {assets, scope, version} in front of this file.
 *
 * It keeps what a respondent needs to reload a survey page without network: the page itself
 * (asked from the network first, the last copy when offline or after a long wait) and its
 * static files, answers.js included (kept per version, from the cache first; the list is
 * views_respond.ASSETS). Submissions are never touched: respond_queue.js keeps them in
 * IndexedDB (localStorage as a fallback) and respond_page.js resends them itself.
 */
/* global self, caches, fetch */
(function () {
  "use strict";

  var config = self.KETNOI_RESPOND || { assets: [], scope: "/s/", version: "0" };
  var STATIC_CACHE = "ketnoi-respond-static-" + config.version;
  var PAGE_CACHE = "ketnoi-respond-pages";
  var MAX_PAGES = 30;
  var SLOW_NETWORK_MS = 6000;
  var PAGE = new RegExp("^" + config.scope.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + "[A-Za-z0-9_-]+/$");
  // The form's attachments (choice images): kept once seen, so a reload offline still shows them.
  var MEDIA = new RegExp("^" + config.scope.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + "[A-Za-z0-9_-]+/media/[^/]+$");
  var MEDIA_CACHE = "ketnoi-respond-media";

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches
        .open(STATIC_CACHE)
        .then(function (cache) {
          return cache.addAll(config.assets);
        })
        .then(function () {
          return self.skipWaiting();
        })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches
        .keys()
        .then(function (names) {
          return Promise.all(
            names
              .filter(function (name) {
                return name.indexOf("ketnoi-respond-static-") === 0 && name !== STATIC_CACHE;
              })
              .map(function (name) {
                return caches.delete(name);
              })
          );
        })
        .then(function () {
          return self.clients.claim();
        })
    );
  });

  function pageKey(url) {
    var key = new URL(url, self.location.href);
    key.search = "";
    key.hash = "";
    return key.href;
  }

  function keep(cache, url, response) {
    if (!response || !response.ok || response.type !== "basic") return Promise.resolve();
    return cache.put(pageKey(url), response).then(function () {
      return cache.keys().then(function (requests) {
        var extra = requests.length - MAX_PAGES;
        return Promise.all(
          requests.slice(0, Math.max(0, extra)).map(function (request) {
            return cache.delete(request);
          })
        );
      });
    });
  }

  // The network's answer when it comes in time; the kept copy when offline or slow.
  function networkFirst(event) {
    var request = event.request;
    var key = pageKey(request.url);
    var network = fetch(request);
    // Clone before the page starts reading the body: this callback is registered first.
    var forCache = network.then(function (response) {
      return response.clone();
    });
    event.waitUntil(
      forCache
        .then(function (copy) {
          return caches.open(PAGE_CACHE).then(function (cache) {
            return keep(cache, key, copy);
          });
        })
        .catch(function () {
          /* offline: nothing new to keep */
        })
    );
    var kept = function () {
      return caches.open(PAGE_CACHE).then(function (cache) {
        return cache.match(key, { ignoreVary: true });
      });
    };
    return new Promise(function (resolve, reject) {
      var settled = false;
      var slow = setTimeout(function () {
        kept().then(function (copy) {
          if (copy && !settled) {
            settled = true;
            resolve(copy);
          }
        });
      }, SLOW_NETWORK_MS);
      network.then(
        function (response) {
          clearTimeout(slow);
          if (!settled) {
            settled = true;
            resolve(response);
          }
        },
        function (error) {
          clearTimeout(slow);
          kept().then(function (copy) {
            if (settled) return;
            settled = true;
            if (copy) resolve(copy);
            else reject(error);
          });
        }
      );
    });
  }

  function cacheFirst(request) {
    return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (copy) {
      return (
        copy ||
        fetch(request).then(function (response) {
          if (response.ok) {
            var clone = response.clone();
            caches.open(STATIC_CACHE).then(function (cache) {
              cache.put(request, clone);
            });
          }
          return response;
        })
      );
    });
  }

  // A form's attachment: the network when it answers (the file may have changed with a new
  // version of the form), the kept copy when it does not.
  function mediaFirstKept(request) {
    return fetch(request).then(
      function (response) {
        if (response.ok) {
          var clone = response.clone();
          caches.open(MEDIA_CACHE).then(function (cache) {
            cache.put(request, clone);
          });
        }
        return response;
      },
      function (error) {
        return caches.match(request, { cacheName: MEDIA_CACHE }).then(function (copy) {
          if (copy) return copy;
          throw error;
        });
      }
    );
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") return;
    var url = new URL(request.url);
    if (url.origin !== self.location.origin) return;
    if (config.assets.indexOf(url.pathname) >= 0) {
      event.respondWith(cacheFirst(request));
    } else if (MEDIA.test(url.pathname)) {
      event.respondWith(mediaFirstKept(request));
    } else if (request.mode === "navigate" && PAGE.test(url.pathname)) {
      event.respondWith(networkFirst(event));
    }
  });

  // respond.js asks to keep the page it was loaded from: the first visit happens before this
  // worker controls the page, so the fetch handler never saw it.
  self.addEventListener("message", function (event) {
    var data = event.data || {};
    var reply = function () {
      if (event.ports && event.ports[0]) event.ports[0].postMessage({ kept: true });
    };
    if (data.type !== "keep" || typeof data.url !== "string" || !PAGE.test(new URL(data.url, self.location.href).pathname)) {
      reply();
      return;
    }
    event.waitUntil(
      caches
        .open(PAGE_CACHE)
        .then(function (cache) {
          return cache.match(pageKey(data.url), { ignoreVary: true }).then(function (copy) {
            if (copy) return null;
            return fetch(data.url, { credentials: "same-origin" }).then(function (response) {
              return keep(cache, data.url, response);
            });
          });
        })
        .then(reply, reply)
    );
  });
})();
