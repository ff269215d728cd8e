"""Handover in real browsers: an applicant asks the chat widget for a person, an agent (second browser
context) sees the conversation appear in the inbox, takes it and replies; the reply shows up in the
applicant's widget and the applicant's answer in the agent's transcript. axe on the inbox pages.
(No Rasa behind the test portal: a stand-in answers every message with a handover request.)"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import db
from portal.chat import rasa_client
from portal.chat.models import Handoff
from portal.staff.auth.operations import create_staff_user

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
REPLY = "مرحبا، أنا عائشة من فريق الدعم. كيف يمكنني مساعدتك؟"


def bot_asks_for_a_person(sender, text, lang, danger_margin=None):
    return rasa_client.parse_reply([{"custom": {"meta": {"intent": "human_handoff", "lang": lang,
                                                         "handoff_request": True}}}])


def test_agent_takes_a_chat_and_the_applicant_sees_the_reply(browser, live_app, live_server, axe, monkeypatch):
    monkeypatch.setattr(rasa_client, "send", bot_asks_for_a_person)
    monkeypatch.setitem(live_app.config, "HANDOFF_HOURS", "mon-sun 00:00-23:59")
    with live_app.app_context():
        try:
            create_staff_user("inboxagent", "Ayşe Yılmaz", "agent", PASSWORD)
        except Exception:  # noqa: BLE001 - already created by an earlier test in this session
            pass
    agent_ctx, applicant_ctx = browser.new_context(), browser.new_context()
    try:
        agent = agent_ctx.new_page()
        agent.goto(f"{live_server}/staff/login?lang=en&next=/staff/inbox")
        agent.fill("#username", "inboxagent")
        agent.fill("#password", PASSWORD)
        agent.click("button[type=submit]")
        agent.wait_for_url("**/staff/inbox")
        agent.evaluate("window.__noReload = true")

        applicant = applicant_ctx.new_page()
        applicant.goto(f"{live_server}/ar/")
        applicant.click(".chat-launcher")
        applicant.fill("#chat-input", "أريد التحدث مع شخص")
        applicant.keyboard.press("Enter")
        applicant.wait_for_selector(".chat-log .chat-bot", timeout=15000)
        with live_app.app_context():
            handoff_id = db.session().scalars(select(Handoff.id).order_by(Handoff.id.desc())).first()

        row = f'#inbox-rows tr[data-id="{handoff_id}"]'
        agent.wait_for_selector(row, timeout=15000)            # inbox.js refreshed the list in place
        assert agent.evaluate("window.__noReload") is True
        assert agent.locator(f"{row} span[lang=ar]").inner_text() == "العربية"
        assert agent.locator(f"{row} time").nth(1).get_attribute("datetime").startswith("PT")
        expect(agent.locator("#inbox-live")).to_have_text(re.compile(r"\S"))
        assert axe(agent) == []

        agent.click(f"{row} button")
        agent.wait_for_url(f"**/staff/inbox/{handoff_id}")
        assert agent.locator("#transcript p[lang=ar]").first.evaluate(
            "el => getComputedStyle(el).direction") == "rtl"
        assert axe(agent) == []
        agent.fill("#reply-text", REPLY)
        agent.click("#reply button[type=submit]")
        agent.wait_for_selector(f"#transcript .inbox-agent p:text-is('{REPLY}')")

        applicant.wait_for_selector(f".chat-log .chat-text:text-is('{REPLY}')", timeout=15000)  # widget polls
        applicant.fill("#chat-input", "شكرا جزيلا")
        applicant.keyboard.press("Enter")
        agent.wait_for_selector("#transcript .inbox-user p:text-is('شكرا جزيلا')", timeout=15000)
        # the live region is announced just after the line appears: wait for it, under load too
        expect(agent.locator("#inbox-live")).to_have_text(agent.get_attribute("#transcript", "data-l-new"))

        agent.click(f"form[action=\"/staff/inbox/{handoff_id}/hand-back\"] button")
        agent.wait_for_url("**/staff/inbox?done=handed_back")
        assert axe(agent) == []
    finally:
        agent_ctx.close()
        applicant_ctx.close()
    with live_app.app_context():
        assert db.session().get(Handoff, handoff_id).status == "closed"
