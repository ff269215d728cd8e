"""Offline reading helpers: the worker's own decisions run in node; talking to the worker from a page.

`worker_decisions(source, origin, cases)` loads /sw.js exactly as the portal serves it into a node `vm`
(no browser) and asks its `route` and `mayStore` about each case
{"path", "method", "mode", "status", "headers", "type"?, "redirected"?}.
"""
from __future__ import annotations

import json
import shutil
import subprocess

_RUNNER = r"""
const vm = require("vm"), fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const sandbox = { self: { addEventListener() {}, location: { origin: input.origin }, navigator: { language: "en" } },
                  URL, Headers, Blob, Promise, setTimeout, console };
vm.createContext(sandbox);
vm.runInContext(input.source, sandbox);
const out = input.cases.map((c) => {
  const url = new URL(c.path, input.origin);
  const response = { status: c.status, type: c.type || "basic", redirected: !!c.redirected, headers: new Headers(c.headers) };
  return { route: sandbox.route(c.method, url, c.mode), store: sandbox.mayStore(url, response) };
});
process.stdout.write(JSON.stringify(out));
"""


def worker_decisions(source: str, origin: str, cases: list[dict]) -> list[dict]:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "node is required (make system-deps installs nodejs)"
    result = subprocess.run([node, "-e", _RUNNER], input=json.dumps({"source": source, "origin": origin, "cases": cases}),
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


# In a page: ask the controlling worker (the same message protocol as static/js/offline.js).
ASK_WORKER = """async (msg) => {
  const reg = await navigator.serviceWorker.ready;
  const worker = navigator.serviceWorker.controller || reg.active;
  return await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage(msg, [channel.port2]);
  });
}"""

# Every URL held in any of the page's Cache Storage caches (paths with their query).
CACHED_URLS = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    for (const req of await (await caches.open(name)).keys()) { const u = new URL(req.url); out.push(u.pathname + u.search); }
  }
  return out;
}"""


def open_under_worker(page, url: str) -> None:
    """Open `url` and wait until the offline worker controls the page and static/js/offline.js has done
    what it does on load (a guide is then held; the list is shown; the daily refresh has run)."""
    page.goto(url)
    try:   # a slow ceiling: on a loaded machine the first visit installs the worker and its offline pages
        page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=90_000)
    except Exception as exc:  # noqa: BLE001 - say what the worker was doing
        state = page.evaluate(WORKER_STATE)
        raise AssertionError(f"the offline worker never got ready on {url}: {state}") from exc


WORKER_STATE = """async () => {
  const reg = await navigator.serviceWorker.getRegistration();
  const w = (x) => x && x.state;
  return {controlled: !!navigator.serviceWorker.controller, installing: reg && w(reg.installing),
          waiting: reg && w(reg.waiting), active: reg && w(reg.active), marks: {...document.documentElement.dataset}};
}"""


def stored(page) -> dict:
    """The worker's list: {"entries": [...], "usedBytes", "maxBytes", "maxEntries"}."""
    return page.evaluate(ASK_WORKER, {"type": "list"})
