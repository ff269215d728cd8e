"""Pages on a 360x740 phone in Debian's chromium: a compact header, a menu that works without JS, a chat
launcher that covers no heading, and a checklist that prints once and ticks without JS."""
from __future__ import annotations

import pytest

from knowledge.schema import LANGS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
HEADER_LIMIT = 0.25 * PHONE["height"]

# the text boxes (not the block boxes) of every heading and card link in the viewport that overlap the launcher
COVERED = """() => {
  const b = document.querySelector('.chat-launcher').getBoundingClientRect(), out = [];
  for (const el of document.querySelectorAll('main h1, main h2, main h3, main .card a, main label')) {
    const range = document.createRange(); range.selectNodeContents(el);
    for (const r of range.getClientRects()) {
      if (r.bottom <= 0 || r.top >= innerHeight || !r.width) continue;
      if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) out.push(el.textContent.trim());
    }
  }
  return out; }"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_phone_header_takes_at_most_a_quarter_of_the_screen(page, live_server, lang):
    page.set_viewport_size(PHONE)
    for path in ("/", "/services/protection-registration"):
        page.goto(f"{live_server}/{lang}{path}")
        bottom = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().bottom")
        print(f"{lang}{path}: header ends at {bottom:.0f} px of {PHONE['height']} ({bottom / PHONE['height']:.0%})")
        assert bottom <= HEADER_LIMIT, (path, bottom)
        assert page.locator(".lang-switcher a").count() == 9          # every language stays one tap away
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


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


@pytest.mark.parametrize("lang", ["en", "de", "ar", "ps"])
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}])
def test_the_chat_launcher_covers_no_heading(page, live_server, lang, viewport):
    page.set_viewport_size(viewport)
    for path in ("/", "/services/protection-registration", "/services/travel-permit/checklist", "/offices",
                 "/contact"):
        page.goto(f"{live_server}/{lang}{path}")
        assert page.evaluate(COVERED) == [], path


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
