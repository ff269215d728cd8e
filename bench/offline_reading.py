"""Offline reading benchmark (run by hand, not part of the tests), in Debian chromium through Playwright.

    .venv/bin/python bench/offline_reading.py [--guides 24] [--rounds 3]

Opens guides (all services, languages in turn) under the offline worker, cuts the connection and opens
each again. Reports (never asserts):
  * render   navigation start -> load event of a stored guide served offline (p50/p95/max, ms; the
             browser's own navigation timing);
  * bytes    stored per guide (the page's HTML as the worker counts it) and the shared files it uses;
  * fit      how many guides fit in the default caps (OFFLINE_MAX_ENTRIES, OFFLINE_MAX_BYTES), after the
             offline pages of the nine languages the run used.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search import free_port, percentile  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LANGS = ["fa", "ps", "ar", "tr", "en", "ru", "uk", "de", "fr"]
NAV_MS = "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from portal import create_app
    from portal.knowledge_access import knowledge_base
    from tests.helpers.app import migrate
    from tests.helpers.offline import open_under_worker, stored

    instance = tempfile.mkdtemp(prefix="bench-offline-")
    app = create_app({"ENV": "testing", "INSTANCE_PATH": instance, "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{instance}/db.sqlite3"})
    migrate(app)
    with app.app_context():
        slugs = list(knowledge_base().services)
    paths = [f"/{LANGS[i % len(LANGS)]}/services/{slugs[i % len(slugs)]}" for i in range(args.guides)]
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    timings: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            context = browser.new_context(viewport={"width": 412, "height": 900})
            page = context.new_page()
            open_under_worker(page, base + "/tr/offline")
            shell = stored(page)["usedBytes"]
            for path in paths:
                open_under_worker(page, base + path)
            listing = stored(page)
            estimate = page.evaluate("async () => (await navigator.storage.estimate()).usage")
            context.set_offline(True)
            for _ in range(args.rounds):
                for path in paths:
                    page.goto(base + path)
                    assert page.locator('[data-notice="saved"]').is_visible(), path
                    timings.append(page.evaluate(NAV_MS))
            browser.close()
    finally:
        server.shutdown()

    pages = [e["bytes"] for e in listing["entries"]]
    page_median = statistics.median(pages)
    files = listing["usedBytes"] - shell - sum(pages)            # beyond the first visit's offline page
    cap_entries, cap_bytes = app.config["OFFLINE_MAX_ENTRIES"], app.config["OFFLINE_MAX_BYTES"]
    fit_bytes = int((cap_bytes - shell - files) // page_median)
    print(f"guides stored: {len(pages)} (of {len(paths)} opened); rounds: {args.rounds}")
    print(f"render offline (navigation start -> load), ms: p50 {percentile(timings, 50):.1f}  "
          f"p95 {percentile(timings, 95):.1f}  max {max(timings):.1f}  (n={len(timings)})")
    print(f"bytes per guide (HTML as stored): median {page_median:.0f}  min {min(pages)}  max {max(pages)}")
    print(f"first visit (its offline page and files): {shell} bytes; offline pages of the other languages used "
          f"and files guides add: {files} bytes")
    print(f"total counted: {listing['usedBytes']} bytes; browser's storage estimate: {estimate} bytes")
    print(f"default caps {cap_entries} guides / {cap_bytes} bytes: {fit_bytes} guides fit by bytes, "
          f"so {min(cap_entries, fit_bytes)} guides")


if __name__ == "__main__":
    main()
