{% load static %}// The handbook's service worker (scope /handbook/): the shell from the cache, pages from the
// network with the last copy kept for offline use, and the last opened documents (their page and
// their file) readable without a connection.
"use strict";
var VERSION = "{{ version }}";
var SHELL = "chibo-shell-" + VERSION;
var PAGES = "chibo-pages-" + VERSION;
var DOCS = "chibo-docs-" + VERSION;
var KEEP_DOCUMENTS = 10;
var KEEP_PAGES = 30;
var OFFLINE_URL = "{% url 'handbook:offline' %}";
var SHELL_URLS = [
  OFFLINE_URL,
  "{% static 'handbook/handbook.css' %}",
  "{% static 'handbook/handbook.js' %}",
  "{% static 'handbook/icon-192.png' %}",
  "{% static 'chibo/favicon.svg' %}"
];
// A library document (its page and its file) or a meeting's attachment: kept for offline reading.
var DOCUMENT = /^\/handbook\/(?:documents\/(\d+)\/(?:file\/)?|meetings\/\d+\/files\/(\d+)\/)$/;

function documentKey(pathname) {
  var match = DOCUMENT.exec(pathname);
  if (!match) return null;
  return match[1] ? "d" + match[1] : "m" + match[2];
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(SHELL_URLS);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  var current = [SHELL, PAGES, DOCS];
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("chibo-") === 0 && current.indexOf(name) < 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// Keep the last KEEP_DOCUMENTS documents: a document's page and file share its key; the cache
// keeps insertion order, and re-putting an entry moves it to the end.
function trimDocuments(cache) {
  return cache.keys().then(function (requests) {
    var keys = [];
    requests.forEach(function (request) {
      var key = documentKey(new URL(request.url).pathname);
      var at = keys.indexOf(key);
      if (at >= 0) keys.splice(at, 1);
      keys.push(key);
    });
    var drop = keys.slice(0, Math.max(0, keys.length - KEEP_DOCUMENTS));
    return Promise.all(requests.filter(function (request) {
      return drop.indexOf(documentKey(new URL(request.url).pathname)) >= 0;
    }).map(function (request) { return cache.delete(request); }));
  });
}

function trimPages(cache) {
  return cache.keys().then(function (requests) {
    return Promise.all(requests.slice(0, Math.max(0, requests.length - KEEP_PAGES))
      .map(function (request) { return cache.delete(request); }));
  });
}

function networkFirst(request, cacheName) {
  return fetch(request).then(function (response) {
    // Only real pages of the member: never a redirect to sign-in, never an error page.
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(cacheName).then(function (cache) {
        return cache.delete(request).then(function () { return cache.put(request, copy); })
          .then(function () { return cacheName === DOCS ? trimDocuments(cache) : trimPages(cache); });
      });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (cached) {
      if (cached) return cached;
      if (request.mode === "navigate") return caches.match(OFFLINE_URL);
      return Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL_URLS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request).then(function (cached) {
      return cached || fetch(request);
    }));
    return;
  }
  if (url.pathname.indexOf("/handbook/") !== 0 || url.search) return;
  event.respondWith(networkFirst(request, documentKey(url.pathname) ? DOCS : PAGES));
});
