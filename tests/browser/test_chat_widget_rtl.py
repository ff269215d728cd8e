"""The chat widget in Arabic (right to left): numbers, references and times keep their order, the
emergency numbers are tap-to-call links, and a failed or empty reply shows an error with "Start over".
The chat API is answered by the test (Playwright routes), so the widget itself is what is checked."""
from __future__ import annotations

import json

from tests.helpers.browser import open_with_keyboard

REPLY = {"session": "s", "lang": "ar", "intent": "book_appointment", "sources": [], "handoff": None,
         "emergency": False, "degraded": False,
         "messages": [{"text": "رقم هاتفك +90 555 987 65 43 والمرجع GIB-7K3M-Q9 والموعد الساعة 14:30"}]}
EMERGENCY = {**REPLY, "intent": "emergency", "emergency": True, "messages": [
    {"text": "112 – الطوارئ", "buttons": [{"title": "اتصل بـ 112", "url": "tel:112"}]},
    {"text": "157 – YİMER\nALO 183", "buttons": [{"title": "اتصل بـ 157", "url": "tel:157"},
                                               {"title": "اتصل بـ 183", "url": "tel:183"}]}]}


def answer_with(page, *bodies):
    """Answer successive chat posts with `bodies` (a dict is JSON 200, an int is that error status)."""
    queue = list(bodies)

    def handle(route):
        body = queue.pop(0) if queue else REPLY
        if isinstance(body, int):
            route.fulfill(status=body, body="{}", content_type="application/json")
        else:
            route.fulfill(status=200, body=json.dumps(body, ensure_ascii=False), content_type="application/json")
    page.route("**/api/v1/chat", handle)


def say(page, text):
    page.fill("#chat-input", text)
    page.keyboard.press("Enter")


def test_numbers_references_and_times_keep_their_order_in_arabic(page, live_server):
    answer_with(page, REPLY)
    page.goto(f"{live_server}/ar/")
    open_with_keyboard(page)
    say(page, "موعدي")
    page.wait_for_selector(".chat-log .chat-bot bdi")
    isolated = page.locator(".chat-log .chat-bot bdi")
    assert isolated.all_inner_texts() == ["+90 555 987 65 43", "GIB-7K3M-Q9", "14:30"]
    assert isolated.first.evaluate("el => getComputedStyle(el).direction") == "ltr"
    # drawn left to right: "+90" starts left of the final "43", although the message runs right to left
    first, last = page.evaluate("""() => {
        const node = document.querySelector('.chat-log .chat-bot bdi').firstChild, r = document.createRange();
        r.setStart(node, 0); r.setEnd(node, 3); const a = r.getBoundingClientRect().left;
        r.setStart(node, node.length - 2); r.setEnd(node, node.length); return [a, r.getBoundingClientRect().left]; }""")
    assert first < last
    assert page.locator(".chat-panel").evaluate("el => getComputedStyle(el).direction") == "rtl"


def test_emergency_numbers_are_tap_to_call_links(page, live_server):
    answer_with(page, EMERGENCY)
    page.goto(f"{live_server}/ar/")
    open_with_keyboard(page)
    say(page, "ساعدوني")
    page.wait_for_selector(".chat-log .chat-bot a.chat-btn")
    hrefs = page.locator(".chat-log .chat-bot a.chat-btn").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs == ["tel:112", "tel:157", "tel:183"]


def test_a_failed_or_empty_reply_shows_an_error_and_start_over(page, live_server):
    empty = {**REPLY, "messages": []}
    answer_with(page, 500, empty, REPLY)
    page.goto(f"{live_server}/ar/")
    open_with_keyboard(page)
    say(page, "مرحبا")
    restart = page.locator(".chat-status .chat-restart")
    restart.wait_for()
    assert page.locator(".chat-status").inner_text().strip() and restart.inner_text().strip()
    say(page, "مرحبا مرة ثانية")           # an empty reply is a failure too
    page.locator(".chat-status .chat-restart").wait_for()
    with page.expect_request("**/api/v1/chat") as sent:
        page.locator(".chat-status .chat-restart").click()
    assert sent.value.post_data_json["message"] == "/stop"
    page.wait_for_selector(".chat-log .chat-bot")
    assert page.locator(".chat-log .chat-user").count() == 1       # the old conversation was cleared
