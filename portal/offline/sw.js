/* Offline reading (issue #17): a short hand-written service worker, served at /sw.js after its
   settings (self.OFFLINE, from portal/offline/policy.py). Hand-written rather than Workbox: it is about
   5 KB gzipped, where Workbox would bring its own modules (routing, strategies, expiration) into a 10 KB
   budget and a build step to bundle them; and
   its rules (route, mayStore) load in node for the unit tests (tests/helpers/offline.py) besides the
   browser tests.
   - Guides and checklists: network first (OFFLINE.timeoutMs), each copy stored with its content version;
     without a connection the stored copy, marked "saved on <date>" for the page to say so.
   - Static files: only by fingerprinted URL (?v=), from the store first (they never change).
   - Any other page: the network; without a connection the offline page of its language (each language's
     offline page is stored the first time the person uses that language). Nothing but
     storable pages (path pattern AND the server's X-Offline-Storable, never no-store or private) is kept.
   - Limits: OFFLINE.maxEntries guides and OFFLINE.maxBytes in all, least recently used removed first
     (guides the person only opened before the ones they saved).
   The index of what is stored is one JSON entry; every change to it runs in `locked`, one at a time. */
"use strict";
var C = self.OFFLINE;
var PAGES = "offline-pages-v1", ASSETS = "offline-assets-v1", META = "offline-meta-v1";
var INDEX_KEY = "/__offline-index__", DAY = 864e5;
var FIXED = { offline: 1, saved: 1 };   // kinds kept apart from the cap and the list
var patterns = C.storable.map(function (p) { return new RegExp(p); });

function storable(path) { return patterns.some(function (re) { return re.test(path); }); }

/* What the worker does with a request: "asset", "page" (network first, stored), "other" (network,
   offline page as fallback) or "" (left alone: not ours, not GET, the console and the API). */
function route(method, url, mode) {
  if (method !== "GET" || url.origin !== self.location.origin) { return ""; }
  if (/^\/static\//.test(url.pathname)) { return url.searchParams.has("v") ? "asset" : ""; }
  if (mode !== "navigate" || /^\/(staff|api)(\/|$)/.test(url.pathname)) { return ""; }
  return storable(url.pathname) && !url.search ? "page" : "other";
}

function mayStore(url, res) {
  var cacheControl = (res.headers.get("Cache-Control") || "").toLowerCase();
  return storable(url.pathname) && !url.search && res.status === 200 && res.type === "basic" &&
    !res.redirected && !/no-store|private/.test(cacheControl) && !!res.headers.get("X-Offline-Storable") &&
    /^text\/html/.test(res.headers.get("Content-Type") || "");
}

var queue = Promise.resolve();
function locked(change) {     // change(index) runs alone; the index is written back after it
  var run = queue.then(function () {
    return readIndex().then(function (index) {
      return Promise.resolve(change(index)).then(function (result) {
        return writeIndex(index).then(function () { return result; });
      });
    });
  });
  queue = run.catch(function () {});
  return run;
}
function readIndex() {
  return caches.open(META).then(function (c) { return c.match(INDEX_KEY); }).then(function (r) {
    return r ? r.json() : null;
  }).then(function (index) { return index || { pages: {}, assets: {}, checkedAt: 0 }; });
}
function writeIndex(index) {
  return caches.open(META).then(function (c) {
    return c.put(INDEX_KEY, new Response(JSON.stringify(index), { headers: { "Content-Type": "application/json" } }));
  });
}

function assetUrls(html) {
  var out = [], re = /(?:href|src)="(\/static\/[^"]+)"/g, m;
  while ((m = re.exec(html))) {
    var u = m[1].replace(/&amp;/g, "&");
    if (/[?&]v=/.test(u) && out.indexOf(u) < 0) { out.push(u); }
  }
  return out;
}
function storeAssets(urls) {
  return caches.open(ASSETS).then(function (cache) {
    return Promise.all(urls.map(function (u) {
      return cache.match(u).then(function (hit) {
        return hit ? hit.blob().then(function (b) { return [u, b.size]; }) : fetch(u).then(function (res) {
          if (!res.ok || res.type !== "basic") { return null; }
          return res.clone().blob().then(function (b) { return cache.put(u, res).then(function () { return [u, b.size]; }); });
        });
      }).catch(function () { return null; });
    }));
  });
}

function parseMaterial(value) {
  var out = {};
  (value || "").split(";").forEach(function (kv) { var p = kv.split("="); if (p[1]) { out[p[0]] = p[1]; } });
  return out;
}
function changedParts(before, after) {
  return Object.keys(after).filter(function (k) { return before[k] && before[k] !== after[k]; });
}

/* Store a storable response and the files it uses; answer {entry, html} (null when not stored).
   opts.pinned: the person saved it; opts.ifKept: only replace a copy still held (background refresh). */
function remember(path, res, opts) {
  var url = new URL(path, self.location.origin);
  if (!mayStore(url, res)) { return Promise.resolve(null); }
  return res.text().then(function (html) {
    var assets = assetUrls(html);
    return storeAssets(assets).then(function (sizes) {
      return locked(function (index) {
        var now = Date.now(), old = index.pages[path], pinned = opts && opts.pinned, material = parseMaterial(res.headers.get("X-Content-Material"));
        sizes.forEach(function (s) { if (s) { index.assets[s[0]] = s[1]; } });
        if (opts && opts.ifKept && !old) { return null; }
        var entry = {
          kind: res.headers.get("X-Offline-Storable"), title: decodeURIComponent(res.headers.get("X-Offline-Title") || ""),
          lang: path.split("/")[1], savedAt: now, usedAt: now, pinned: !!(pinned || (old && old.pinned)),
          pinnedAt: (old && old.pinnedAt) || (pinned ? now : 0),     // the day the person pressed Save
          bytes: new Blob([html]).size, version: res.headers.get("X-Content-Version") || "", material: material,
          etag: res.headers.get("ETag") || "", assets: assets, changed: (old && old.changed) || [],
          since: old ? (old.changed && old.changed.length ? old.since : old.savedAt) : 0
        };
        if (old) {
          changedParts(old.material || {}, material).forEach(function (k) { if (entry.changed.indexOf(k) < 0) { entry.changed.push(k); } });
        }
        index.pages[path] = entry;
        return caches.open(PAGES).then(function (c) {
          return c.put(path, new Response(html, { headers: { "Content-Type": res.headers.get("Content-Type") } }));
        }).then(function () { return prune(index); }).then(function () { return { entry: entry, html: html }; });
      });
    });
  });
}

function totalBytes(index) {
  var pages = index.pages, used = {}, total = 0;
  Object.keys(pages).forEach(function (p) { total += pages[p].bytes; pages[p].assets.forEach(function (a) { used[a] = 1; }); });
  Object.keys(used).forEach(function (a) { total += index.assets[a] || 0; });
  return { total: total, used: used };
}
function prune(index) {     // least recently used out first (opened before saved) until within the caps
  var gone = [], pages = index.pages;
  for (;;) {
    var evictable = Object.keys(pages).filter(function (p) { return !FIXED[pages[p].kind]; });
    if (evictable.length <= C.maxEntries && totalBytes(index).total <= C.maxBytes) { break; }
    if (!evictable.length) { break; }
    evictable.sort(function (a, b) { return (pages[a].pinned - pages[b].pinned) || (pages[a].usedAt - pages[b].usedAt); });
    gone.push(evictable[0]);
    delete pages[evictable[0]];
  }
  var used = totalBytes(index).used, unused = Object.keys(index.assets).filter(function (a) { return !used[a]; });
  unused.forEach(function (a) { delete index.assets[a]; });
  return Promise.all([caches.open(PAGES), caches.open(ASSETS)]).then(function (c) {
    return Promise.all(gone.map(function (p) { return c[0].delete(p); }).concat(unused.map(function (a) { return c[1].delete(a); })));
  });
}

/* The page as the person sees it: <html> carries when the copy was saved (when served from the
   store), the parts that changed since they last saw it, and whether the guide was withdrawn. */
function present(html, entry, fromStore) {
  var marks = "";
  if (entry && !FIXED[entry.kind]) {
    if (fromStore) { marks += ' data-offline-saved="' + entry.savedAt + '"'; }
    if (entry.changed.length) { marks += ' data-offline-changed="' + entry.changed.join(" ") + '" data-offline-since="' + entry.since + '"'; }
    if (entry.removed) { marks += ' data-offline-removed="1"'; }
  }
  return new Response(html.replace("<html ", "<html" + marks + " "), { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
function acknowledge(path) {   // the person has now seen what changed
  return locked(function (index) {
    var e = index.pages[path];
    if (e) { e.usedAt = Date.now(); e.changed = []; e.since = 0; }
    return e;
  });
}
function fromStore(path) {
  return caches.open(PAGES).then(function (c) { return c.match(path); }).then(function (hit) {
    if (!hit) { return null; }
    return Promise.all([hit.text(), locked(function (index) { return index.pages[path]; })]).then(function (r) {
      return acknowledge(path).then(function () { return present(r[0], r[1], true); });
    });
  });
}
function markRemoved(path) {
  return locked(function (index) { if (index.pages[path]) { index.pages[path].removed = true; } });
}
function langOf(path) { var first = path.split("/")[1]; return C.langs.indexOf(first) >= 0 ? first : ""; }

/* The offline page of each language the person uses, stored the first time that language is seen (at
   install: the languages of the open pages; later: each page asks for its own), not all nine on a
   prepaid phone. */
function ensureOfflinePage(lang) {
  var path = "/" + lang + "/offline";
  return caches.open(PAGES).then(function (c) { return c.match(path); }).then(function (hit) {
    if (hit) { return true; }
    return fetch(path, { cache: "no-cache" }).then(function (res) { return remember(path, res); }).then(function (kept) {
      if (!kept) { throw new Error("offline page not storable: " + path); }
      return true;
    });
  });
}
function offlinePage(url) {   // in the page's language, else the phone's, else any language stored
  var nav = (self.navigator.language || "").slice(0, 2);
  var wanted = [langOf(url.pathname), C.langs.indexOf(nav) >= 0 ? nav : ""].concat(C.langs).filter(Boolean);
  return caches.open(PAGES).then(function (c) {
    return wanted.reduce(function (found, lang) {
      return found.then(function (hit) { return hit || c.match("/" + lang + "/offline"); });
    }, Promise.resolve(null));
  }).then(function (hit) {
    return hit || new Response("Offline. 112 · 157", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  });
}

function networkFirst(event, req, url) {
  var path = url.pathname;
  function stored() { return fromStore(path).then(function (r) { return r || offlinePage(url); }); }   // unless evicted meanwhile
  return caches.open(PAGES).then(function (c) { return c.match(path); }).then(function (held) {
    var network = fetch(req).then(function (res) {
      if (mayStore(url, res)) {
        return remember(path, res.clone()).catch(function () { return null; }).then(function (kept) {   // storage full: still the page
          if (!kept || !kept.entry.changed.length) { return res; }
          return acknowledge(path).then(function () { return present(kept.html, kept.entry, false); });
        });
      }
      if (held && (res.status === 404 || res.status === 410)) { return markRemoved(path).then(stored); }
      if (held && withdrawn(res)) { return markRemoved(path).then(function () { return res; }); }
      return held && res.status >= 500 ? stored() : res;
    });
    if (!held) { return network.catch(function () { return offlinePage(url); }); }
    var late = new Promise(function (resolve) { setTimeout(resolve, C.timeoutMs, null); });
    return Promise.race([network.catch(function () { return null; }), late]).then(function (res) {
      if (res) { return res; }
      event.waitUntil(network.catch(function () { return null; }));
      return stored();
    });
  });
}

/* A guide page answered but no longer a guide (e.g. its translation was withdrawn: "not yet in your language"). */
function withdrawn(res) {
  return res.status === 200 && !res.redirected && !res.headers.get("X-Offline-Storable");
}

function fromStoreFirst(req) {
  return caches.match(req.url, { cacheName: ASSETS }).then(function (hit) { return hit || fetch(req); });
}

/* Saved guides: refreshed when the person is back online (the page asks), at most daily otherwise.
   An unchanged guide costs a 304 (ETag); a withdrawn one (404/410) keeps its copy, marked. */
function refresh(force) {
  return readIndex().then(function (index) {
    if (!force && Date.now() - index.checkedAt < DAY) { return { ok: true, skipped: true }; }
    var paths = Object.keys(index.pages);
    return paths.reduce(function (chain, path) {
      return chain.then(function () {
        var etag = index.pages[path].etag;
        return fetch(path, { headers: etag ? { "If-None-Match": etag } : {} }).then(function (res) {
          if (res.status === 304) {
            return locked(function (ix) { var e = ix.pages[path]; if (e) { e.savedAt = Date.now(); e.removed = false; } });
          }
          if (res.status === 404 || res.status === 410 || withdrawn(res)) { return markRemoved(path); }
          return remember(path, res, { ifKept: true });
        });
      });
    }, Promise.resolve()).then(function () {
      return locked(function (ix) { ix.checkedAt = Date.now(); }).then(function () { return { ok: true }; });
    }, function () { return { ok: false }; });
  });
}

function list() {
  return readIndex().then(function (index) {
    var entries = Object.keys(index.pages).filter(function (p) { return !FIXED[index.pages[p].kind]; }).map(function (p) {
      var e = index.pages[p];
      return { url: p, kind: e.kind, title: e.title, lang: e.lang, savedAt: e.pinnedAt || e.savedAt, pinned: e.pinned,
        bytes: e.bytes, changed: e.changed, removed: !!e.removed };
    });
    return { ok: true, entries: entries, usedBytes: totalBytes(index).total, maxBytes: C.maxBytes, maxEntries: C.maxEntries };
  });
}

function keep(path, pinned) {
  if (!storable(path)) { return Promise.resolve({ ok: false }); }
  return readIndex().then(function (index) {
    if (index.pages[path]) {
      if (!pinned) { return { ok: true }; }
      return locked(function (ix) {
        var e = ix.pages[path];
        if (e) { e.pinnedAt = e.pinnedAt || Date.now(); e.pinned = true; e.usedAt = Date.now(); }
        return prune(ix);
      })
        .then(function () { return { ok: true }; });
    }
    return fetch(path).then(function (res) { return remember(path, res, { pinned: pinned }); })
      .then(function (kept) { return { ok: !!kept }; });
  }).catch(function () { return { ok: false }; });
}

function forget(path) {
  return locked(function (index) { delete index.pages[path]; return prune(index); }).then(function () {
    return caches.open(PAGES).then(function (c) { return c.delete(path); });
  }).then(function () { return { ok: true }; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (pages) {
    var langs = pages.map(function (p) { return langOf(new URL(p.url).pathname); }).filter(Boolean);
    var nav = (self.navigator.language || "").slice(0, 2);
    if (!langs.length) { langs.push(C.langs.indexOf(nav) >= 0 ? nav : C.langs[0]); }
    return Promise.all(langs.filter(function (l, i) { return langs.indexOf(l) === i; }).map(ensureOfflinePage));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  var ours = [PAGES, ASSETS, META];
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return /^offline-/.test(n) && ours.indexOf(n) < 0; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request, url = new URL(req.url), kind = route(req.method, url, req.mode);
  if (kind === "asset") { event.respondWith(fromStoreFirst(req)); }
  else if (kind === "page") { event.respondWith(networkFirst(event, req, url)); }
  else if (kind === "other") { event.respondWith(fetch(req).catch(function () { return offlinePage(url); })); }
});

self.addEventListener("message", function (event) {
  var msg = event.data || {}, port = event.ports && event.ports[0];
  var path = typeof msg.url === "string" ? new URL(msg.url, self.location.origin).pathname : "";
  var work = msg.type === "list" ? list() : msg.type === "save" ? keep(path, true) : msg.type === "visit" ? keep(path, false)
    : msg.type === "remove" ? forget(path) : msg.type === "refresh" ? refresh(!!msg.force)
    : msg.type === "offline-page" && C.langs.indexOf(msg.lang) >= 0 ? ensureOfflinePage(msg.lang).then(function () { return { ok: true }; })
    : Promise.resolve({ ok: false });
  event.waitUntil(work.catch(function () { return { ok: false }; }).then(function (answer) { if (port) { port.postMessage(answer); } }));
});
