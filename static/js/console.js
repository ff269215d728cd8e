/* Staff console: suggestions update as the agent types (debounced), keyboard copy and feedback.
   Without JavaScript the form submits normally. No third-party code. */
(function () {
  "use strict";
  var form = document.getElementById("suggest-form");
  if (!form) { return; }
  var box = document.getElementById("q"), caller = document.getElementById("caller");
  var results = document.getElementById("results"), timer = null, seq = 0, last = null;
  // The language shown so far: the server keeps it until the text clearly says otherwise (no flip-flop).
  var held = "";
  // Short pause after the last keystroke; a newer query aborts the older request (only the latest renders);
  // answers already fetched in this page are reused (backspace, language toggles).
  var DEBOUNCE_MS = 130, CACHE_SIZE = 30, inflight = null, cache = new Map();
  var langs = JSON.parse(form.dataset.langs), bands = JSON.parse(form.dataset.bands);
  var bandHints = JSON.parse(form.dataset.bandHints);
  // headings inside an answer are in the console's language, not the answer's
  var page = {lang: document.documentElement.lang, dir: document.documentElement.dir};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function clean(text) { return (text || "").replace(/\[\[|\]\]/g, ""); }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { fallbackCopy(text); });
    }
    fallbackCopy(text);
    return Promise.resolve();
  }
  function fallbackCopy(text) {
    var area = el("textarea", {"aria-hidden": "true", "class": "copy-buffer"});
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing else to try */ }
    document.body.removeChild(area);
    box.focus();
  }

  function sendFeedback(body) {
    body.q = box.value; body.lang = last ? last.lang : "";
    body.ranking = last ? last.suggestions.map(function (s) { return s.service; }).join(",") : "";
    return fetch(form.dataset.feedback, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf},
      body: JSON.stringify(body)
    }).then(function (r) { status(r.ok ? form.dataset.saved : form.dataset.failed); });
  }
  function status(text) {
    var node = document.getElementById("console-status");
    if (node) { node.textContent = text; }
  }

  function detectedLine(data) {
    var p = el("p", {id: "detected"}, form.dataset.detected + " ");
    p.appendChild(el("strong", {lang: data.lang}, langs[data.lang][0]));
    if (data.alternative) {
      var other = langs[data.alternative][0];
      p.appendChild(document.createTextNode(" " + form.dataset.or + " "));
      p.appendChild(el("strong", {lang: data.alternative}, other));
      p.appendChild(document.createTextNode(" – "));
      var to = el("button", {type: "button", "class": "link-button switch-lang", "data-lang": data.alternative},
                  form.dataset.answerIn.replace("%l", other));
      to.addEventListener("click", function () { caller.value = data.alternative; fetchSuggestions(); });
      p.appendChild(to);
    }
    if (!data.settled) { p.appendChild(el("span", {"class": "hint inline-hint"}, " " + form.dataset.detecting)); }
    if (data.abstain) { p.appendChild(document.createTextNode(" – " + form.dataset.unsure)); }
    return p;
  }

  function render(data) {
    last = data;
    while (results.firstChild) { results.removeChild(results.firstChild); }
    var wrap = el("div", {"data-js-render": "1"});
    wrap.appendChild(detectedLine(data));
    wrap.appendChild(el("p", {"class": "band-hint band-" + data.band}, bandHints[data.band]));
    var list = el("ol", {"class": "suggestions"});
    data.suggestions.forEach(function (s, i) {
      var li = el("li", {"class": "suggestion", "data-service": s.service});
      var h = el("h2", {}, clean(s.title));
      if (i === 0) {
        var badge = el("span", {"class": "band band-" + data.band});
        badge.appendChild(el("span", {"class": "visually-hidden"}, form.dataset.bandTitle + " "));
        badge.appendChild(document.createTextNode(bands[data.band]));
        h.appendChild(document.createTextNode(" "));
        h.appendChild(badge);
      }
      li.appendChild(h);
      var answers = el("div", {"class": "answers"});
      var a1 = el("div", {"class": "answer", lang: data.lang, dir: langs[data.lang][1]});
      a1.appendChild(el("h3", page, form.dataset.callerLang));
      a1.appendChild(el("p", {id: "answer-" + (i + 1)}, clean(s.answer)));
      answers.appendChild(a1);
      if (data.lang !== "tr") {            // the agent reads the Turkish text beside the caller's
        var a2 = el("div", {"class": "answer", lang: "tr", dir: "ltr"});
        a2.appendChild(el("h3", page, form.dataset.turkish));
        a2.appendChild(el("p", {}, clean(s.answer_tr)));
        answers.appendChild(a2);
      }
      li.appendChild(answers);
      if (s.documents.length) {
        li.appendChild(el("h3", {}, form.dataset.documents));
        var docLang = s.documents_fallback ? "tr" : data.lang;
        var ul = el("ul", {lang: docLang, dir: langs[docLang][1]});
        s.documents.forEach(function (d) { ul.appendChild(el("li", {}, clean(d))); });
        li.appendChild(ul);
      }
      var p = el("p", {});
      p.appendChild(el("a", {href: s.url}, form.dataset.guide));
      var helped = el("button", {type: "button", "class": "helped"}, form.dataset.helped);
      helped.addEventListener("click", function () { sendFeedback({verdict: "helped", service: s.service}); });
      p.appendChild(document.createTextNode(" ")); p.appendChild(helped);
      li.appendChild(p);
      list.appendChild(li);
    });
    wrap.appendChild(list);
    var wrong = document.getElementById("wrong-template");
    if (wrong) {
      var clone = wrong.content.cloneNode(true);
      var btn = clone.querySelector("button");
      var sel = clone.querySelector("select");
      btn.addEventListener("click", function () {
        sendFeedback({verdict: "wrong", correct_service: sel.value});
      });
      wrap.appendChild(clone);
    }
    results.appendChild(wrap);
  }

  function show(data, url) {
    render(data);
    results.dataset.query = url;
    results.dataset.updated = String(Date.now());
  }
  function cancelPending() {
    clearTimeout(timer);
    if (inflight) { inflight.abort(); inflight = null; }
  }
  function fetchSuggestions() {
    cancelPending();
    var q = box.value.trim();
    if (!q) { held = ""; return; }
    var mine = ++seq;
    var url = form.dataset.api + "?q=" + encodeURIComponent(q) +
      (caller.value ? "&caller=" + caller.value : (held ? "&held=" + held : ""));
    if (cache.has(url)) {
      if (!caller.value) { held = cache.get(url).lang; }
      show(cache.get(url), url);
      return;
    }
    var options = {credentials: "same-origin", headers: {"Accept": "application/json"}};
    if (window.AbortController) { inflight = new AbortController(); options.signal = inflight.signal; }
    fetch(url, options)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (cache.size >= CACHE_SIZE) { cache.delete(cache.keys().next().value); }
        cache.set(url, data);
        if (mine === seq) {
          inflight = null;
          if (!caller.value) { held = data.lang; }
          show(data, url);
        }
      })
      .catch(function () { /* aborted or offline: keep the last suggestions; the form still works */ });
  }
  function schedule() { cancelPending(); timer = setTimeout(fetchSuggestions, DEBOUNCE_MS); }

  box.addEventListener("input", schedule);
  caller.addEventListener("change", fetchSuggestions);
  form.addEventListener("submit", function (e) { e.preventDefault(); fetchSuggestions(); });
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key === "1" || e.key === "2" || e.key === "3") {
      var answer = document.getElementById("answer-" + e.key);
      if (answer) {
        e.preventDefault();
        copy(answer.textContent).then(function () { status(form.dataset.copied); });
      }
    } else if (e.key === "l" || e.key === "L") {
      e.preventDefault();
      caller.focus();
    }
  });
})();
