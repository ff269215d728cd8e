"""Pages on a 360x740 phone in Debian's chromium: no sideways scrolling, a compact header, a menu that works
without JS, a chat launcher that covers no heading, and a checklist that prints once and ticks without JS."""
from __future__ import annotations

import pytest

from knowledge.schema import LANGS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 800}
HEADER_LIMIT = 0.25 * PHONE["height"]
# long German words, Cyrillic and RTL text, a fee table, a checklist, the offices list and the contact page
PHONE_PAGES = ("/", "/services/protection-registration", "/services/address-notification",
               "/services/travel-permit/checklist", "/services/residence-permit-fees/checklist", "/offices",
               "/contact")
HEADER_PAGES = ("/", "/services/protection-registration")
LAUNCHER_PAGES = ("/", "/services/protection-registration", "/services/travel-permit/checklist", "/offices",
                  "/contact")
WIDE_LANGS = ("en", "de", "ar", "ps")       # left-to-right and right-to-left, short and long words

# One round trip per page: sideways scroll, where the header ends, the language links, and the text boxes
# (not the block boxes) of every heading, card link and label in the viewport that the chat launcher overlaps.
MEASURE = """() => {
  const b = document.querySelector('.chat-launcher').getBoundingClientRect(), covered = [];
  for (const el of document.querySelectorAll('main h1, main h2, main h3, main .card a, main label')) {
    const range = document.createRange(); range.selectNodeContents(el);
    for (const r of range.getClientRects()) {
      if (r.bottom <= 0 || r.top >= innerHeight || !r.width) continue;
      if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) covered.push(el.textContent.trim());
    }
  }
  return {width: document.documentElement.scrollWidth, covered,
          header: document.querySelector('.site-header').getBoundingClientRect().bottom,
          languages: document.querySelectorAll('.lang-switcher a').length}; }"""


@pytest.mark.parametrize("lang", LANGS)
def test_phone_pages_fit_the_screen_with_a_small_header_and_no_heading_under_the_launcher(page, live_server, lang):
    """On a 360x740 phone: no sideways scrolling, a header that takes at most a quarter of the screen with
    every language one tap away, and a chat launcher that covers no heading; the launcher also on a wide
    screen, for left-to-right and right-to-left samples. One page per language walks them all."""
    page.set_viewport_size(PHONE)
    for path in PHONE_PAGES:
        page.goto(f"{live_server}/{lang}{path}")
        seen = page.evaluate(MEASURE)
        assert seen["width"] <= PHONE["width"], (path, seen["width"])
        assert seen["covered"] == [], (path, seen["covered"])
        if path in HEADER_PAGES:
            print(f"{lang}{path}: header ends at {seen['header']:.0f} px of {PHONE['height']} "
                  f"({seen['header'] / PHONE['height']:.0%})")
            assert seen["header"] <= HEADER_LIMIT, (path, seen["header"])
            assert seen["languages"] == 9, path                          # every language stays one tap away
    if lang not in WIDE_LANGS:
        return
    page.set_viewport_size(WIDE)
    for path in LAUNCHER_PAGES:
        page.goto(f"{live_server}/{lang}{path}")
        assert page.evaluate(MEASURE)["covered"] == [], ("wide", path)


@pytest.mark.parametrize("lang", ["ar", "de"])
def test_the_full_browser_lays_out_the_phone_pages_as_the_headless_shell_does(browser, full_browser, live_server,
                                                                              lang):
    """The other tests run in chromium's headless shell (tests/browser/conftest.py); here the full chromium
    shows the same pages, right-to-left and with long words: no sideways scroll, no heading under the
    launcher, the same header. (Not the same page heights: the two place glyphs a fraction of a pixel
    apart, so a line that just fits in one can wrap in the other, as between two phones.)"""
    seen = {}
    for name, engine in (("shell", browser), ("full", full_browser)):
        # no service worker: once it controls a page, the page grows its "save for offline" tools
        context = engine.new_context(viewport=PHONE, service_workers="block")
        page = context.new_page()
        try:
            for path in PHONE_PAGES:
                page.goto(f"{live_server}/{lang}{path}")
                page.evaluate("document.fonts.ready.then(() => 0)")      # the web font swapped in
                seen[name, path] = page.evaluate(MEASURE)
        finally:
            context.close()
    for path in PHONE_PAGES:
        shell, full = seen["shell", path], seen["full", path]
        assert full["width"] <= PHONE["width"] and full["covered"] == [], (path, full)
        assert full["header"] == pytest.approx(shell["header"], abs=1), (path, full, shell)
        assert (full["width"], full["languages"]) == (shell["width"], shell["languages"]), path


def test_the_menu_opens_without_javascript_and_stays_open_on_wide_screens(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/ar/")
        services = page.locator(".site-header .nav a").first
        assert services.is_hidden()
        page.locator(".menu > summary").click()
        assert services.is_visible()
        box = page.locator(".menu > summary").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44              # a comfortable target
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server}/ar/")
        assert page.locator(".menu > summary").is_hidden()
        assert page.locator(".site-header .nav a").count() >= 4
        assert all(link.is_visible() for link in page.locator(".site-header .nav a").all())
    finally:
        context.close()


def test_the_checklist_has_a_print_button_and_prints_the_disclaimer_once(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/en/services/travel-permit/checklist")
    button = page.locator("[data-print]")
    assert button.is_visible()
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    button.click()
    page.wait_for_function("() => window.__printed !== undefined", timeout=5000)   # under load the click lands late
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    notes = [n for n in page.locator(".check-note").all() if n.is_visible()]
    assert len(notes) == 1
    assert button.is_hidden() and page.locator(".paper-checklist .box").first.is_visible()


def test_without_javascript_the_print_button_is_hidden_and_the_boxes_still_tick(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/fa/services/travel-permit/checklist")
        assert page.locator("[data-print]").is_hidden()
        first = page.locator(".paper-checklist input[type=checkbox]").first
        assert not first.is_checked()
        page.locator(".paper-checklist label").first.click()            # the label is the big target
        assert first.is_checked()
    finally:
        context.close()


def test_the_guide_list_of_documents_has_no_fake_check_boxes(page, live_server):
    page.goto(f"{live_server}/en/services/travel-permit")
    item = page.locator("#need ~ ul.checklist li").first
    assert item.evaluate("el => getComputedStyle(el).listStyleType") == "disc"
    assert item.evaluate("el => getComputedStyle(el, '::before').content") in ("none", "normal")
    assert page.locator("ul.checklist input").count() == 0
