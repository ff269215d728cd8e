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
def test_axe_no_serious_violations(page, live_server, axe, lang):
    found = {}
    for path in ("/", "/services/travel-permit", "/services/travel-permit/checklist"):
        page.goto(f"{live_server}/{lang}{path}")
        found[path] = axe(page)
    assert not any(found.values()), found
