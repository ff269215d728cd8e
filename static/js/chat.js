/* Chat widget: progressive enhancement of the "Chat with the assistant" link (the link keeps
   working without JavaScript). All text goes in with textContent: no HTML from users or the bot. */
(function () {
  "use strict";
  var root = document.getElementById("chat-widget");
  if (!root || !window.fetch) { return; }
  var d = root.dataset, L = function (k) { return d["l" + k.charAt(0).toUpperCase() + k.slice(1)] || ""; };
  var KEY = "chat-log-v1", lastId = 0, poll = null, busy = false;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined) { n.textContent = text; }
    return n;
  }

  var link = root.querySelector(".chat-launcher");
  var launcher = el("button", "chat-launcher");
  while (link.firstChild) { launcher.appendChild(link.firstChild); }   // both labels; CSS shows one
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "chat-panel");
  link.parentNode.replaceChild(launcher, link);

  var panel = el("section", "chat-panel");
  panel.id = "chat-panel";
  panel.hidden = true;
  panel.setAttribute("aria-labelledby", "chat-panel-title");
  var head = el("div", "chat-head");
  var title = el("h2", "chat-title", L("title"));
  title.id = "chat-panel-title";
  var close = el("button", "chat-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", L("close"));
  head.appendChild(title);
  head.appendChild(close);
  var hint = el("p", "chat-hint", L("hint"));
  var log = el("ol", "chat-log");      // stays a list (role=log would orphan its items); announced politely
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-labelledby", "chat-panel-title");
  var status = el("p", "chat-status");
  status.setAttribute("role", "status");
  var form = el("form", "chat-form");
  var label = el("label", "visually-hidden", L("input"));
  label.htmlFor = "chat-input";
  var input = el("input", "chat-input");
  input.id = "chat-input";
  input.type = "text";
  input.maxLength = 1000;
  input.autocomplete = "off";
  var send = el("button", "chat-send", L("send"));
  send.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  [head, hint, log, status, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel);

  function saved() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function remember(item) {
    var all = saved().concat([item]).slice(-40);
    try { sessionStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }

  // phone numbers, references, codes and times keep their order inside right-to-left text
  var LTR = /(\+?\d[\d ()-]{6,}\d|[A-Z]{2,3}-[A-Z0-9]{4}(?:-[A-Z0-9]{2,6})+|GC-\d{4}-[A-Z0-9]{6}|\b[A-Z0-9]{4}-[A-Z0-9]{4}\b|\b\d{1,2}[:.]\d{2}\b)/g;
  function isolated(text) {
    var span = el("span", "chat-text"), last = 0, m;
    text = String(text || "");
    LTR.lastIndex = 0;
    while ((m = LTR.exec(text)) !== null) {
      if (m.index > last) { span.appendChild(document.createTextNode(text.slice(last, m.index))); }
      var bdi = el("bdi", null, m[0]);
      bdi.dir = "ltr";
      span.appendChild(bdi);
      last = m.index + m[0].length;
    }
    if (last < text.length) { span.appendChild(document.createTextNode(text.slice(last))); }
    return span;
  }

  function render(item) {
    var li = el("li", "chat-msg chat-" + (item.role === "user" ? "user" : "bot"));
    var who = item.role === "user" ? L("you") : (item.role === "agent" ? L("staff") : L("bot"));
    li.appendChild(el("span", "visually-hidden", who + " "));
    li.appendChild(isolated(item.text));
    if (item.buttons && item.buttons.length) {
      var box = el("div", "chat-buttons");
      item.buttons.forEach(function (b) {
        var n;
        if (b.url) {
          n = el("a", "chat-btn", b.title);
          n.href = /^(\/|tel:)/.test(b.url) ? b.url : "#";
        } else {
          n = el("button", "chat-btn", b.title);
          n.type = "button";
          n.addEventListener("click", function () { say(b.payload, b.title); });
        }
        box.appendChild(n);
      });
      li.appendChild(box);
    }
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }
  function add(item) { render(item); remember(item); }

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    document.documentElement.style.scrollPaddingBottom = open ? (panel.offsetHeight + 16) + "px" : "";
    if (open) { input.focus(); } else { launcher.focus(); }
  }

  function post(body) {
    return fetch(d.api, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); });
  }

  function startPolling() {
    if (poll) { return; }
    poll = setInterval(function () {
      fetch(d.api + "/messages?after=" + lastId, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          (data.messages || []).forEach(function (m) { lastId = Math.max(lastId, m.id); add({ role: m.role, text: m.text }); });
          if (!data.handoff) { clearInterval(poll); poll = null; }
        })["catch"](function () { /* keep polling */ });
    }, 5000);
  }

  // a failed or empty reply: say so, and offer to start the conversation over
  function failed() {
    status.textContent = "";
    status.appendChild(el("span", null, L("error") + " "));
    var again = el("button", "chat-btn chat-restart", L("restart"));
    again.type = "button";
    again.addEventListener("click", function () {
      try { sessionStorage.removeItem(KEY); } catch (e) { /* private mode */ }
      while (log.firstChild) { log.removeChild(log.firstChild); }
      status.textContent = "";
      busy = false;
      say("/stop", L("restart"));
    });
    status.appendChild(again);
  }

  function say(message, shown) {
    if (busy || !message) { return; }
    busy = true;
    send.disabled = true;
    add({ role: "user", text: shown || message });
    status.textContent = L("wait");
    post({ message: message, lang: d.lang }).then(function (data) {
      status.textContent = "";
      var messages = (data.messages || []).filter(function (m) { return m && m.text; });
      if (!messages.length && !data.handoff) { throw new Error("empty reply"); }
      messages.forEach(function (m) { add({ role: "bot", text: m.text, buttons: m.buttons }); });
      if (data.handoff) { startPolling(); }
    })["catch"](function () {
      failed();
    }).then(function () {
      busy = false;
      send.disabled = false;
      input.focus();
    });
  }

  saved().forEach(render);
  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { setOpen(false); } });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    say(text);
  });
}());
