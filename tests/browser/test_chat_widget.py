"""The chat widget in a real browser: keyboard only, sends and receives, RTL in Persian, no HTML injection,
and small. (The test portal has no Rasa behind it: answers come from the degraded mode.)"""
from __future__ import annotations

import gzip
from pathlib import Path

from tests.helpers.browser import open_with_keyboard

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_keyboard_only_open_send_receive_close(page, live_server):
    page.goto(f"{live_server}/en/services/travel-permit")
    open_with_keyboard(page)
    page.keyboard.type("How many days can I stay outside my province?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".chat-log .chat-bot", timeout=15000)
    assert page.locator(".chat-log .chat-user .chat-text").first.inner_text().startswith("How many days")
    assert page.get_attribute(".chat-log", "aria-live") == "polite"
    assert page.evaluate("document.activeElement.id") == "chat-input"
    page.keyboard.press("Escape")
    assert page.locator("#chat-panel").is_hidden()
    assert page.evaluate("document.activeElement.className") == "chat-launcher"


def test_persian_reads_right_to_left(page, live_server):
    page.goto(f"{live_server}/fa/services/travel-permit")
    open_with_keyboard(page)
    panel = page.locator("#chat-panel")
    assert panel.evaluate("el => getComputedStyle(el).direction") == "rtl"
    box = panel.bounding_box()
    assert box["x"] < page.viewport_size["width"] / 2  # inline end is on the left in RTL
    assert page.get_attribute("#chat-input", "id") == "chat-input"
    assert page.locator("label[for=chat-input]").inner_text()


def test_text_is_never_interpreted_as_html(page, live_server):
    page.goto(f"{live_server}/en/")
    open_with_keyboard(page)
    page.keyboard.type('<img src=x onerror="window.pwned=1">')
    page.keyboard.press("Enter")
    page.wait_for_selector(".chat-log .chat-bot", timeout=15000)
    assert page.locator(".chat-log img").count() == 0
    assert "<img" in page.locator(".chat-log .chat-user .chat-text").first.inner_text()
    assert page.evaluate("window.pwned === undefined")


def test_without_javascript_the_launcher_is_a_link_to_the_chat_page(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/ar/")
    link = page.locator("a.chat-launcher")
    assert link.get_attribute("href") == "/ar/chat"
    link.click()
    page.fill("#chat-message", "مرحبا")
    page.locator(".chat-form button[type=submit]").click()
    assert page.locator(".chat-log li").count() >= 2
    context.close()


def test_widget_is_small():
    size = sum(len(gzip.compress((STATIC / name).read_bytes(), 9)) for name in ("js/chat.js", "css/chat.css"))
    assert size <= 15 * 1024, size


def test_the_launcher_does_not_hide_the_focused_element(page, live_server):
    page.goto(f"{live_server}/tr/")
    page.keyboard.press("Shift+Tab")  # the last control of the page (the launcher is in the header)
    for _ in range(4):  # and the links just before it
        page.keyboard.press("Shift+Tab")
        r = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect();"
                          " return {x: r.left, y: r.top, w: r.width, h: r.height}; })()")
        b = page.locator(".chat-launcher").bounding_box()
        overlap = (r["x"] < b["x"] + b["width"] and b["x"] < r["x"] + r["w"]
                   and r["y"] < b["y"] + b["height"] and b["y"] < r["y"] + r["h"])
        assert not overlap, (r, b)
