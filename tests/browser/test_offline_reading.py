"""Offline reading in Debian's chromium: the worker (/sw.js) keeps the guides a person opened or saved,
in their language, with an honest date; never a booking page; within its caps.

The portal here reads its own copy of the content, so a test can change a guide (a deadline, a summary)
or withdraw one and see what a phone holding the old copy shows. `context.set_offline` cuts the page and
the worker off the network (Playwright 1.4x+ applies it to service workers too).
"""
from __future__ import annotations

import re
import shutil
import threading
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from flask_babel import force_locale, gettext
from werkzeug.serving import make_server

from knowledge import loader
from portal import create_app
from tests.helpers.app import dispose, migrate
from tests.helpers.live_stack import free_port
from tests.helpers.offline import CACHED_URLS, open_under_worker, stored

pytestmark = pytest.mark.browser
CONTENT = Path(__file__).resolve().parents[2] / "knowledge" / "content"
PRIVATE = re.compile(r"^/(staff|api)(/|$)|^/[a-z]{2}/(book|appointments|cases|chat|search)(/|$|\?)")
COUNT_PERSIST = """window.__persistCalls = 0;
if (navigator.storage && navigator.storage.persist) {
  const persist = navigator.storage.persist.bind(navigator.storage);
  navigator.storage.persist = () => { window.__persistCalls += 1; return persist(); };
}"""


class Site:
    def __init__(self, app, url, content):
        self.app, self.url, self.content = app, url, content

    def say(self, lang, msgid, **values):
        with self.app.test_request_context(), force_locale(lang):
            return gettext(msgid, **values)

    def around(self, lang, msgid, **values):
        """The translated sentence's text before and after its %(date)s (the page fills in the date)."""
        before, _, after = self.say(lang, msgid, date="\x00", **values).partition("\x00")
        return before.strip(), after.strip()

    def edit(self, slug, lang, **fields):
        path = self.content / "services" / slug / f"{lang}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(fields)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def restore(self, slug):
        shutil.rmtree(self.content / "services" / slug, ignore_errors=True)
        shutil.copytree(CONTENT / "services" / slug, self.content / "services" / slug)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = tmp_path_factory.mktemp("offline-content")
    shutil.copytree(CONTENT, content, dirs_exist_ok=True)
    instance = tmp_path_factory.mktemp("offline-instance")
    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(instance), "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{instance / 'db.sqlite3'}", "KNOWLEDGE_DIR": str(content)})
    migrate(app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "_RECHECK_SECONDS", 0)     # every request sees a content edit at once
        port = free_port()
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield Site(app, f"http://127.0.0.1:{port}", content)
        server.shutdown()
    dispose(app)


@pytest.fixture()
def context(browser, site):
    """A fresh phone: its own worker registration and caches; fails on any CSP violation."""
    context = browser.new_context(viewport={"width": 412, "height": 900})
    violations = []
    context.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield context
    context.close()
    assert not violations, violations


@pytest.fixture()
def caps(site):
    """caps(entries, bytes): the limits the next worker starts with (read from /sw.js at install)."""
    saved = {k: site.app.config[k] for k in ("OFFLINE_MAX_ENTRIES", "OFFLINE_MAX_BYTES")}

    def set_caps(entries, max_bytes):
        site.app.config.update(OFFLINE_MAX_ENTRIES=entries, OFFLINE_MAX_BYTES=max_bytes)
    yield set_caps
    site.app.config.update(saved)


def _assert_saved_notice(site, page, lang):
    notice = page.locator('[data-notice="saved"]')
    assert notice.is_visible()
    text = " ".join(notice.inner_text().split())
    before, after = site.around(lang, "Saved on %(date)s. This copy may be out of date: check with 157.")
    assert text.startswith(before) and text.endswith(after), text
    stamp = notice.locator("time").get_attribute("datetime")
    assert datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    shown = notice.locator("time").inner_text()
    assert shown and not re.search("[A-Za-z]", shown), shown    # no English month in a Persian or Pashto page
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert notice.evaluate("el => getComputedStyle(el).direction") == "rtl"


def test_persian_guide_and_pashto_checklist_read_offline(site, context):
    page = context.new_page()
    guide, checklist = "/fa/services/travel-permit", "/ps/services/residence-permit-fees/checklist"
    open_under_worker(page, site.url + guide)             # the first page: stored once the worker is there
    title_fa = page.locator("h1").inner_text()
    open_under_worker(page, site.url + checklist)
    title_ps = page.locator("h1").inner_text()
    assert not page.locator('[data-notice="saved"]').is_visible()     # online: the live page, no notice
    context.set_offline(True)
    for path, lang, title in ((guide, "fa", title_fa), (checklist, "ps", title_ps)):
        page.goto(site.url + path)
        assert page.locator("h1").inner_text() == title
        _assert_saved_notice(site, page, lang)
        # the stored page keeps its (fingerprinted) stylesheet: the emergency bar is still red
        assert page.evaluate("getComputedStyle(document.querySelector('.emergency-bar')).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.locator(".paper-checklist li").count() >= 1


def test_a_booking_page_is_never_served_offline(site, context):
    page = context.new_page()
    open_under_worker(page, site.url + "/fa/")      # the first visit: a page never stored
    page.goto(site.url + "/fa/book")
    assert page.locator("main form").count() >= 1                       # the booking form, online
    context.set_offline(True)
    page.goto(site.url + "/fa/book")
    assert page.url.endswith("/fa/book")
    assert page.locator("h1").inner_text() == site.say("fa", "You are offline")
    assert page.locator("main form").count() == 0
    assert page.locator('a[href="tel:112"]').count() and page.locator('a[href="tel:157"]').count()
    held = page.evaluate(CACHED_URLS)
    assert held and not [u for u in held if PRIVATE.match(u)], held


def test_offline_page_in_each_language_used_and_the_numbers_always(site, context):
    page = context.new_page()
    open_under_worker(page, site.url + "/ps/offices")   # first visit, in Pashto
    open_under_worker(page, site.url + "/ar/contact")   # then a page in Arabic
    context.set_offline(True)
    for lang in ("ps", "ar"):
        page.goto(f"{site.url}/{lang}/services")          # never opened
        assert page.locator("h1").inner_text() == site.say(lang, "You are offline")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.locator('a[href="tel:112"]').count() and page.locator('a[href="tel:157"]').count()
    page.goto(site.url + "/ru/contact")                # a language this phone never used: another offline page
    assert page.locator("h1").inner_text() in (site.say("ps", "You are offline"), site.say("ar", "You are offline"))
    assert page.locator('a[href="tel:112"]').count() and page.locator('a[href="tel:157"]').count()
    held = page.evaluate(CACHED_URLS)
    assert sorted(u for u in held if u.endswith("/offline")) == ["/ar/offline", "/ps/offline"]   # not all nine


def _refreshed(page, context):
    """Go back online and wait until the page's "online" refresh of the stored guides has finished."""
    page.wait_for_function("() => !navigator.onLine")      # the page has seen the connection go
    before = int(page.evaluate("document.documentElement.dataset.offlineRefreshed || '0'"))
    context.set_offline(False)
    page.wait_for_function("(n) => +(document.documentElement.dataset.offlineRefreshed || 0) > n", arg=before)


def test_a_saved_guide_refreshes_and_says_when_a_deadline_changed(site, context):
    slug, lang, path = "education", "ar", "/ar/services/education"
    page = context.new_page()
    page.add_init_script(COUNT_PERSIST)
    try:
        open_under_worker(page, site.url + path)
        assert page.evaluate("window.__persistCalls") == 0          # opening guides asks for nothing
        page.click("[data-offline-save]")
        page.wait_for_selector('html[data-offline-kept="saved"]', state="attached")
        assert page.locator("[data-offline-status]").inner_text() == site.say(lang, "Saved on this phone for reading offline.")
        assert page.evaluate("window.__persistCalls") == 1          # persistent storage: asked on save only
        assert [e["pinned"] for e in stored(page)["entries"] if e["url"] == path] == [True]

        context.set_offline(True)
        site.edit(slug, lang, summary="ملخص جديد للاختبار.")          # reworded: refreshed, no warning
        _refreshed(page, context)
        context.set_offline(True)
        page.goto(site.url + path)
        assert "ملخص جديد للاختبار." in page.locator(".lead").inner_text()
        _assert_saved_notice(site, page, lang)
        assert not page.locator('[data-notice="changed"]').is_visible()

        site.edit(slug, lang, deadlines="موعد جديد: 30 يومًا للاختبار.")  # a rule that matters changed
        _refreshed(page, context)
        page.goto(site.url + path)                                   # the next visit, online
        changed = page.locator('[data-notice="changed"]')
        assert changed.is_visible()
        before, after = site.around(lang, "Changed since you saved it on %(date)s: %(parts)s.",
                                    parts=site.say(lang, "Time limits"))
        text = " ".join(changed.inner_text().split())
        assert before in text and after in text, text
        assert "موعد جديد: 30 يومًا للاختبار." in page.locator("#time + p").inner_text()
        assert not page.locator('[data-notice="saved"]').is_visible()    # the live page

        context.set_offline(True)
        page.goto(site.url + path)                                   # offline: the refreshed copy
        assert "موعد جديد: 30 يومًا للاختبار." in page.locator("#time + p").inner_text()
        _assert_saved_notice(site, page, lang)
        assert not page.locator('[data-notice="changed"]').is_visible()  # already shown once
    finally:
        site.restore(slug)


def _assert_removed_notice(site, page, lang):
    removed = page.locator('[data-notice="removed"]')
    assert removed.is_visible()
    assert site.say(lang, "This guide is no longer published.") in removed.inner_text()


def test_a_withdrawn_guide_says_so(site, context):
    slug, path = "legal-aid", "/fa/services/legal-aid"
    page = context.new_page()
    try:
        open_under_worker(page, site.url + path)
        context.set_offline(True)
        shutil.rmtree(site.content / "services" / slug)
        _refreshed(page, context)
        page.goto(site.url + path)                                   # online: the server no longer has it
        _assert_removed_notice(site, page, "fa")
        page.goto(site.url + "/fa/saved")
        page.wait_for_selector("html[data-offline-listed]", state="attached")
        item = page.locator(".saved-item", has=page.locator(f'a[href="{path}"]'))
        assert item.locator('[data-field="removed"]').is_visible()
    finally:
        site.restore(slug)


def test_a_withdrawn_translation_says_so_on_the_kept_copy(site, context):
    slug, path = "interpreter-service", "/ps/services/interpreter-service"
    page = context.new_page()
    try:
        open_under_worker(page, site.url + path)
        context.set_offline(True)
        (site.content / "services" / slug / "ps.yaml").unlink()      # the guide stays, its Pashto goes
        _refreshed(page, context)
        context.set_offline(True)
        page.goto(site.url + path)                                   # the kept Pashto copy, marked
        _assert_removed_notice(site, page, "ps")
    finally:
        site.restore(slug)


GUIDES = ["address-notification", "health-services", "interpreter-service", "work-permit-foreigners",
          "special-needs"]


def _save_all(site, page, slugs):
    for slug in slugs:
        open_under_worker(page, f"{site.url}/tr/services/{slug}")
        page.click("[data-offline-save]")
        page.wait_for_selector('html[data-offline-kept="saved"]', state="attached")


def test_the_store_keeps_to_its_entry_cap(site, context, caps):
    caps(3, 10_000_000)
    page = context.new_page()
    _save_all(site, page, GUIDES)
    listing = stored(page)
    kept = sorted(e["url"] for e in listing["entries"])
    assert kept == sorted(f"/tr/services/{s}" for s in GUIDES[-3:])     # the least recently used went first
    held = page.evaluate(CACHED_URLS)
    assert not [u for u in held if any(s in u for s in GUIDES[:2])]
    assert listing["usedBytes"] <= listing["maxBytes"]


def test_the_store_keeps_to_its_byte_cap(site, browser, caps):
    caps(60, 10_000_000)
    probe = browser.new_context()
    try:
        page = probe.new_page()
        _save_all(site, page, GUIDES[:2])
        two_guides = stored(page)["usedBytes"]
    finally:
        probe.close()
    caps(60, two_guides)                       # room for the offline page, the files and exactly those two
    phone = browser.new_context()
    try:
        page = phone.new_page()
        _save_all(site, page, GUIDES)
        listing = stored(page)
        urls = [e["url"] for e in listing["entries"]]
        assert listing["usedBytes"] <= two_guides == listing["maxBytes"]
        assert f"/tr/services/{GUIDES[-1]}" in urls and f"/tr/services/{GUIDES[0]}" not in urls
        assert len(urls) < len(GUIDES)
    finally:
        phone.close()


def test_saved_guides_page_lists_removes_and_passes_axe(site, context, axe):
    page = context.new_page()
    open_under_worker(page, site.url + "/fa/services/travel-permit")
    page.click("[data-offline-save]")
    page.wait_for_selector('html[data-offline-kept="saved"]', state="attached")
    open_under_worker(page, site.url + "/ps/services/travel-permit/checklist")
    page.goto(site.url + "/fa/saved")
    page.wait_for_selector('html[data-offline-listed="2"]', state="attached")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert not page.locator("[data-offline-unsupported]").is_visible()
    usage = page.locator("[data-offline-usage]").inner_text()
    assert site.say("fa", "Storage used: %(used)s of %(limit)s", used="\x00", limit="\x00").split("\x00")[0].strip() in usage
    link = page.locator('a[href="/ps/services/travel-permit/checklist"]')
    assert link.get_attribute("lang") == "ps" and link.get_attribute("dir") == "rtl"
    assert page.locator(".saved-item time").first.get_attribute("datetime")
    assert axe(page) == []
    page.locator(".saved-item", has=link).locator('[data-field="remove"]').click()
    page.wait_for_selector('html[data-offline-listed="1"]', state="attached")
    assert page.locator("[data-offline-status]").inner_text() == site.say("fa", "Removed.")
    assert "/ps/services/travel-permit/checklist" not in page.evaluate(CACHED_URLS)


@pytest.mark.parametrize("lang", ["ar", "de"])
def test_offline_page_passes_axe(site, context, axe, lang):
    page = context.new_page()
    open_under_worker(page, f"{site.url}/{lang}/services/travel-permit")
    context.set_offline(True)
    page.goto(f"{site.url}/{lang}/offices")
    assert page.locator("h1").inner_text() == site.say(lang, "You are offline")
    page.wait_for_selector("html[data-offline-listed]", state="attached")
    assert page.locator('.saved-item a[href="/%s/services/travel-permit"]' % lang).count() == 1
    assert axe(page) == []


def test_without_javascript_nothing_changes(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url + "/fa/services/travel-permit")
        assert not page.locator("[data-offline-save]").is_visible()
        assert not page.locator('[data-notice="saved"]').is_visible()
        page.goto(site.url + "/fa/saved")
        assert page.locator("[data-offline-unsupported]").is_visible()
    finally:
        context.close()
