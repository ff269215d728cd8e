"""Browser-test fixtures: a live portal on a free 127.0.0.1 port and Debian's chromium via Playwright.

Never downloads a browser. Playwright drives Debian's chromium-headless-shell (installed by `make test`):
the same Chromium 156 engine as the chromium package, built as the headless shell that Playwright itself
runs for headless tests. Measured here, a new context with a page and one navigation costs 0.25 CPU-s in
it and 0.9 CPU-s in the full browser, and the browser tests took 55 CPU-s instead of 94.
TEST_CHROMIUM=/usr/bin/chromium runs them in the full browser (they pass in both), and every run checks
that the two lay out pages alike (tests/browser/test_phone_layout.py, fixture `full_browser`).
Reuse: `live_server` (base URL of a migrated app; `live_app` is the Flask app behind it) and `page`.
"""
from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app

FULL_CHROMIUM = "/usr/bin/chromium"
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(instance), "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{instance / 'db.sqlite3'}"})
    with app.app_context():
        from portal.migrate import upgrade_database
        upgrade_database()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    port = free_port()
    server = make_server("127.0.0.1", port, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        yield pw


def _launch(playwright, executable: str):
    assert Path(executable).exists(), f"{executable} is required: `make test` installs it (Debian's chromium packages)"
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="session")
def browser(playwright):
    browser = _launch(playwright, CHROMIUM)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def full_browser(playwright):
    """The full chromium (not the headless shell), for the check that both render the pages alike."""
    browser = _launch(playwright, FULL_CHROMIUM)
    yield browser
    browser.close()


@pytest.fixture()
def page(browser):
    """A phone-sized page; the test fails if the page breaks its own Content-Security-Policy."""
    context = browser.new_context(viewport={"width": 412, "height": 900})
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture()
def axe():
    """`axe(page)` -> serious/critical violations (see run_axe)."""
    return run_axe


def run_axe(page) -> list[dict]:
    """Serious and critical axe-core violations on the current page (WCAG 2.x A/AA rules)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")   # devtools evaluation: not an inline script, CSP allows it
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
