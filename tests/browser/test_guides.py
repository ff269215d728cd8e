"""The guide pages in a real browser: direction, language switcher, printing, keyboard, axe."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("lang,direction", [("ar", "rtl"), ("tr", "ltr"), ("fa", "rtl")])
def test_service_page_direction(page, live_server, lang, direction):
    page.goto(f"{live_server}/{lang}/services/travel-permit")
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert page.evaluate("document.documentElement.lang") == lang
    # the Turkish official name stays left-to-right inside RTL text
    term = page.locator("bdi[lang=tr]").first
    assert term.evaluate("el => getComputedStyle(el).direction") == "ltr"


def test_language_switcher_keeps_the_page(page, live_server):
    page.goto(f"{live_server}/tr/services/travel-permit")
    page.locator(".lang-switcher a[hreflang=ar]").click()
    page.wait_for_url("**/ar/services/travel-permit")     # the click only starts the navigation
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_checklist_prints(page, live_server):
    page.goto(f"{live_server}/en/services/travel-permit/checklist")
    page.emulate_media(media="print")
    assert page.locator(".lang-switcher").is_hidden()
    assert page.locator(".paper-checklist li").count() >= 1
    assert page.locator(".paper-checklist li .box").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 1000


def test_keyboard_reaches_main_content(page, live_server):
    page.goto(f"{live_server}/ar/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.evaluate("document.activeElement.getBoundingClientRect().width") > 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("lang", ["tr", "ar", "fa"])
@pytest.mark.parametrize("path", ["/", "/services/travel-permit", "/services/travel-permit/checklist"])
def test_axe_no_serious_violations(page, live_server, axe, lang, path):
    page.goto(f"{live_server}/{lang}{path}")
    violations = axe(page)
    assert violations == [], violations


@pytest.mark.parametrize("lang", ["tr", "en", "ar", "fa", "ru", "uk", "ps", "de", "fr"])
def test_no_sideways_scrolling_on_a_small_phone(browser, live_server, lang):
    """Long German words, Cyrillic and RTL text all fit a 360 px screen (no horizontal scroll)."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        for path in ("/", "/services/address-notification", "/services/residence-permit-fees/checklist",
                     "/offices", "/contact"):
            page.goto(f"{live_server}/{lang}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    finally:
        context.close()
