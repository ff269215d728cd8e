/* Offline reading, the page side (the worker is /sw.js). Registers the worker; shows the notices the
   worker put on a stored copy (saved on, changed since, withdrawn); the "Save for offline" button once the
   worker controls the page; the list of stored guides; asks for a refresh when the connection returns.
   Every text comes translated in the page; without this script (or a worker) the site works as before. */
(function () {
  "use strict";
  var sw = navigator.serviceWorker, html = document.documentElement, lang = html.lang || "tr";
  if (!sw || !window.fetch || !window.MessageChannel) { return; }
  var loadedUnderWorker = !!sw.controller;
  sw.register("/sw.js").catch(function () {});

  function $(sel, root) { return (root || document).querySelector(sel); }
  function ask(msg) {
    return sw.ready.then(function (reg) {
      var worker = sw.controller || reg.active;
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(e.data || {}); };
        worker.postMessage(msg, [channel.port2]);
      });
    });
  }
  function knows(api) {       // does this browser have the page language for `api` (Pashto often not)?
    try { return api.supportedLocalesOf([lang]).length > 0; } catch (e) { return false; }
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fillDate(root, ms) {   // in the page language, else as digits (never another language's words)
    var t = $("time", root), d = new Date(ms);
    t.dateTime = d.toISOString();
    if (knows(Intl.DateTimeFormat)) {
      t.textContent = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short", calendar: "gregory" }).format(d);
    } else {
      t.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
      t.dir = "ltr";
    }
  }
  function formatSize(bytes) {
    var mb = bytes >= 1e6;
    return new Intl.NumberFormat(lang, { style: "unit", unit: mb ? "megabyte" : "kilobyte",
      maximumFractionDigits: mb ? 1 : 0 }).format(mb ? bytes / 1e6 : Math.max(1, bytes / 1e3));
  }
  function text(key) {       // a translated string the page carries in <template data-say="key">
    var t = $('template[data-say="' + key + '"]');
    return t ? t.content.textContent : "";
  }
  function partNames(parts) {
    var names = parts.map(function (p) { return text("part-" + p) || p; });
    if (Intl.ListFormat && knows(Intl.ListFormat)) { return new Intl.ListFormat(lang, { type: "conjunction" }).format(names); }
    return names.join(html.dir === "rtl" ? "، " : ", ");
  }
  function say(box, key) {   // a short message in the box's live region
    var status = $("[data-offline-status]", box);
    if (status) { status.textContent = text(key); }
  }

  /* A stored copy: what the worker marked on <html>. */
  var tools = $("[data-offline-tools]"), marks = html.dataset;
  if (tools) {
    if (marks.offlineSaved) { var saved = $('[data-notice="saved"]', tools); fillDate(saved, +marks.offlineSaved); saved.hidden = false; }
    if (marks.offlineChanged) {
      var changed = $('[data-notice="changed"]', tools);
      fillDate(changed, +marks.offlineSince);
      $("[data-field=parts]", changed).textContent = partNames(marks.offlineChanged.split(" "));
      changed.hidden = false;
    }
    if (marks.offlineRemoved) { $('[data-notice="removed"]', tools).hidden = false; }
  }

  function whenControlled(then) {
    if (sw.controller) { then(); return; }
    sw.addEventListener("controllerchange", function once() { sw.removeEventListener("controllerchange", once); then(); });
  }

  whenControlled(function () {
    var work = [];
    if (tools) {
      var row = $("[data-offline-save-row]", tools), button = $("[data-offline-save]", tools);
      row.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        var persist = navigator.storage && navigator.storage.persist ? navigator.storage.persist().catch(function () {}) : null;
        Promise.resolve(persist).then(function () { return ask({ type: "save", url: location.pathname }); }).then(function (r) {
          say(tools, r.ok ? "saved" : "failed");
          html.dataset.offlineKept = r.ok ? "saved" : "failed";
          button.disabled = false;
        });
      });
      if (!loadedUnderWorker) {   // the first page, opened before the worker existed (others are stored on the way in)
        work.push(ask({ type: "visit", url: location.pathname }));
      }
    }
    work.push(ask({ type: "offline-page", lang: lang }));    // what to show here without a connection
    work.push(showList());
    if (navigator.onLine) { work.push(refresh(false)); }     // at most daily (the worker decides)
    Promise.all(work).then(function () { html.dataset.offlineReady = "1"; });
  });

  function refresh(force) {
    return ask({ type: "refresh", force: force }).then(function (r) {
      if (r.ok && !r.skipped) { html.dataset.offlineRefreshed = String(+(html.dataset.offlineRefreshed || 0) + 1); }
      return showList().then(function () { return r; });
    });
  }
  function refreshWhenBack(attempt) {   // "online" can come before the network works: try again a little later
    refresh(true).then(function (r) {
      if (!r.ok && attempt < 5 && navigator.onLine) { setTimeout(refreshWhenBack, 1500 * attempt, attempt + 1); }
    });
  }
  window.addEventListener("online", function () { refreshWhenBack(1); });

  /* The saved-guides page and the offline page: the list, what it takes, remove buttons. */
  function showList() {
    var box = $("[data-offline-list]");
    if (!box) { return Promise.resolve(); }
    return ask({ type: "list" }).then(function (r) {
      var ul = $("[data-offline-entries]", box), template = $("template[data-offline-entry]").content;
      var entries = (r.entries || []).sort(function (a, b) { return b.savedAt - a.savedAt; });
      ul.textContent = "";
      entries.forEach(function (e) {
        var li = template.firstElementChild.cloneNode(true), link = $("[data-field=link]", li);
        var dir = ["ar", "fa", "ps"].indexOf(e.lang) >= 0 ? "rtl" : "ltr";
        link.href = e.url;
        link.textContent = e.title;
        link.lang = e.lang;
        link.dir = dir;
        fillDate(li, e.savedAt);
        $("[data-field=kind]", li).hidden = e.kind !== "checklist";
        $("[data-field=changed]", li).hidden = !e.changed.length;
        $("[data-field=removed]", li).hidden = !e.removed;
        var remove = $("[data-field=remove]", li);
        if (remove) {
          $("[data-field=name]", remove).textContent = e.title;
          remove.addEventListener("click", function () {
            ask({ type: "remove", url: e.url }).then(showList).then(function () { say(box, "removed"); $("h1").focus(); });
          });
        }
        ul.appendChild(li);
      });
      $("[data-offline-empty]", box).hidden = entries.length > 0;
      var usage = $("[data-offline-usage]", box);
      if (usage) {
        $("[data-field=used]", usage).textContent = formatSize(r.usedBytes);
        $("[data-field=limit]", usage).textContent = formatSize(r.maxBytes);
      }
      var unsupported = $("[data-offline-unsupported]");
      if (unsupported) { unsupported.hidden = true; }
      box.hidden = false;
      html.dataset.offlineListed = String(entries.length);
    });
  }
  var check = $("[data-offline-refresh]");
  if (check) {
    check.addEventListener("click", function () {
      refresh(true).then(function (r) { say($("[data-offline-list]"), r && r.ok ? "checked" : "not-checked"); });
    });
  }
}());
