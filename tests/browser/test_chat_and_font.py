"""The chat widget holding messages passes axe (LTR and RTL), the no-JS chat page has no gaps inside its
bubbles, and the Pashto letter ۍ is drawn by the web font we serve (not a fallback, not an empty box)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_chat_widget_rtl import answer_with, say
from tests.helpers.browser import open_with_keyboard

pytestmark = pytest.mark.browser

REPLY = {"session": "s", "intent": "ask_question", "sources": ["travel-permit"], "handoff": None,
         "emergency": False, "degraded": False,
         "messages": [{"text": "157 – YİMER\nALO 183", "buttons": [{"title": "157", "url": "tel:157"},
                                                               {"title": "/stop", "payload": "/stop"}]},
                      {"text": "GIB-7K3M-Q9 14:30"}]}


@pytest.mark.parametrize("lang", ["en", "ar", "ps"])
def test_axe_finds_nothing_serious_with_the_widget_open_and_holding_messages(page, live_server, axe, lang):
    answer_with(page, {**REPLY, "lang": lang}, {**REPLY, "lang": lang})
    page.goto(f"{live_server}/{lang}/services/travel-permit")
    open_with_keyboard(page)
    say(page, "1")
    page.wait_for_selector(".chat-log .chat-bot .chat-btn")
    say(page, "2")
    page.locator(".chat-log .chat-bot").nth(3).wait_for()
    assert page.locator(".chat-log > li").count() == 6
    assert axe(page) == []


def test_the_chat_page_without_javascript_has_no_gaps_inside_bubbles(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/en/chat")
        for sent, text in enumerate(("How many days can I stay outside my province?", "thank you"), start=1):
            page.fill("#chat-message", text)
            page.locator(".chat-form button[type=submit]").click()
            expect(page.locator(".chat-log > li.chat-user")).to_have_count(sent)    # the new page has loaded
        gaps = page.evaluate("""() => [...document.querySelectorAll('.chat-log > li')].map(li => {
            const s = getComputedStyle(li), inner = li.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
            const kids = [...li.children].filter(k => k.offsetHeight && !k.classList.contains('visually-hidden'));
            const top = Math.min(...kids.map(k => k.getBoundingClientRect().top));
            const bottom = Math.max(...kids.map(k => k.getBoundingClientRect().bottom));
            return Math.round(inner - (bottom - top)); })""")
        assert len(gaps) >= 4
        assert max(gaps) <= 6, gaps          # as tall as what it holds (the old markup left 50 px and more)
    finally:
        context.close()


def _fonts_drawing(page, selector: str) -> list[dict]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_the_pashto_letter_is_drawn_by_our_web_font(page, live_server):
    page.goto(f"{live_server}/ps/services/protection-registration")
    assert "\u06cd" in page.locator("main").inner_text()             # the page really uses ۍ
    loaded = page.evaluate("""async () => (await document.fonts.load('16px "Naskh Subset"', '\u06cd'))
                                  .map(f => f.status)""")
    assert loaded == ["loaded"]
    page.evaluate("""() => { const s = document.createElement('span'); s.id = 'probe'; s.textContent = '\u06cd';
                             document.querySelector('main h1').append(s); }""")
    fonts = _fonts_drawing(page, "#probe")
    assert len(fonts) == 1 and fonts[0]["isCustomFont"] and fonts[0]["glyphCount"] == 1, fonts
    assert "Naskh" in fonts[0]["familyName"]
