/* Handover inbox: refresh the queue and the open transcript every 5 s and announce changes in a
   live region. Optional: without JavaScript the pages work with links and form posts.
   All text goes in with textContent. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var live = document.getElementById("inbox-live");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function announce(text) {
    if (!live || !text) { return; }
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 50);
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })["catch"](function () { return null; });
  }
  function every(fn) { setInterval(function () { if (!document.hidden) { fn(); } }, 5000); }

  var inbox = document.getElementById("inbox");
  if (inbox) {
    var d = inbox.dataset, body = document.getElementById("inbox-rows"), empty = document.getElementById("inbox-empty");
    var shown = "", waitingCount = body.querySelectorAll("form").length;
    var at = function (tpl, id) { return tpl.replace(/\/0(?=\/|$)/, "/" + id); };
    var cell = function (child, text) {
      var td = el("td", null, text);
      if (child) { td.appendChild(child); }
      return td;
    };
    var row = function (r) {
      var tr = el("tr", r.urgent ? { "data-id": r.id, "class": "inbox-urgent" } : { "data-id": r.id });
      var langCell = cell(null);
      if (r.urgent) {
        langCell.appendChild(el("strong", { "class": "badge-urgent" }, d.lUrgent));
        langCell.appendChild(document.createTextNode(" "));
      }
      langCell.appendChild(el("span", { lang: r.lang }, r.lang_name));
      tr.appendChild(langCell);
      tr.appendChild(cell(el("time", { datetime: r.requested_at }, r.requested_local)));
      tr.appendChild(cell(el("time", { datetime: r.wait.iso, "class": "inbox-wait" }, r.wait.text)));
      tr.appendChild(cell(null, r.status === "waiting" ? d.lWaiting : (r.mine ? d.lYou : r.claimed_by)));
      var action = el("td");
      if (r.status === "waiting") {
        var form = el("form", { method: "post", action: at(d.claim, r.id), "class": "inline" });
        form.appendChild(el("input", { type: "hidden", name: "csrf_token", value: d.csrf }));
        form.appendChild(el("button", { type: "submit" }, d.lTake));
        action.appendChild(form);
        action.appendChild(document.createTextNode(" "));
      }
      var link = el("a", { href: at(d.open, r.id) }, d.lOpen);
      link.appendChild(el("span", { "class": "visually-hidden" }, " (" + r.lang_name + ", " + r.requested_local + ")"));
      action.appendChild(link);
      tr.appendChild(action);
      return tr;
    };
    every(function () {
      getJSON(d.api).then(function (data) {
        if (!data) { return; }
        var rows = data.handoffs || [];
        var key = rows.map(function (r) { return r.id + r.status + (r.claimed_by || ""); }).join("|");
        if (key === shown || body.contains(document.activeElement)) {
          rows.forEach(function (r) {  // same rows, or the agent is on them: only the wait times move
            var w = body.querySelector('tr[data-id="' + r.id + '"] .inbox-wait');
            if (w) { w.setAttribute("datetime", r.wait.iso); w.textContent = r.wait.text; }
          });
          return;
        }
        shown = key;
        body.textContent = "";
        rows.forEach(function (r) { body.appendChild(row(r)); });
        empty.hidden = rows.length > 0;
        var waiting = rows.filter(function (r) { return r.status === "waiting"; }).length;
        if (waiting > waitingCount) { announce(d.lCount.replace("%n", String(waiting))); }
        waitingCount = waiting;
      });
    });
  }

  var log = document.getElementById("transcript");
  if (log) {
    var t = log.dataset, after = Number(t.after) || 0;
    every(function () {
      getJSON(t.api + "?after=" + after).then(function (view) {
        if (!view) { return; }
        var fromApplicant = false;
        (view.messages || []).forEach(function (m) {
          after = Math.max(after, m.id);
          if (document.getElementById("m" + m.id)) { return; }
          var li = el("li", { "class": "inbox-msg inbox-" + m.role, id: "m" + m.id });
          li.appendChild(el("span", { "class": "inbox-who" }, m.label + (m.author ? " (" + m.author + ")" : "")));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("time", { datetime: m.at }, m.at_local));
          li.appendChild(el("p", { lang: t.lang, dir: "auto" }, m.text));
          log.appendChild(li);
          fromApplicant = fromApplicant || m.role === "user";
        });
        if (view.status !== t.status) { t.status = view.status; announce(t.lChanged); }
        else if (fromApplicant) { announce(t.lNew); }
      });
    });
  }
}());
