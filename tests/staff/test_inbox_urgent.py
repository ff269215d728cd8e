"""Inbox: emergencies first and flagged (also outside hours), the hand-over hours and whether hand-over
is open, and the after-hours call-back requests (viewing them is audited, done once)."""
from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from tests.helpers.inbox import agent, applicant_asks_for_a_person


def test_an_emergency_reaches_staff_at_the_top_flagged_urgent(inbox_app):
    applicant_asks_for_a_person(inbox_app, "en", "I want to talk to a person about my residence permit")
    inbox_app.test_client().post("/api/v1/chat", json={"message": "he is hitting me with a belt, help", "lang": "en"})
    html = agent(inbox_app, "ayse").get("/staff/inbox?lang=en").get_data(as_text=True)
    rows = html.split('<tbody id="inbox-rows">', 1)[1].split("</tbody>", 1)[0]
    assert rows.index('class="inbox-urgent"') < rows.index("<tr data-id", rows.index("</tr>"))
    assert "badge-urgent" in rows.split("</tr>")[0] and "Hand-over is open now." in html


def test_outside_hours_only_urgent_conversations_arrive_with_a_note_for_staff(closed_inbox_app):
    applicant = closed_inbox_app.test_client()
    body = applicant.post("/api/v1/chat", json={"message": "мене тримають замкненою і не випускають", "lang": "uk"})
    assert body.get_json()["handoff"] == "waiting"
    html = agent(closed_inbox_app, "ayse").get("/staff/inbox?lang=en").get_data(as_text=True)
    assert "badge-urgent" in html and "call 112" in html and "Hand-over is closed now" in html


def test_call_back_requests_are_listed_audited_and_done_once(closed_inbox_app):
    closed_inbox_app.test_client().post("/ps/chat/callback", data={
        "message": "د اقامې په اړه پوښتنه لرم", "phone": "0532 123 45 67", "consent": "yes"})
    staff = agent(closed_inbox_app, "ayse")
    html = staff.get("/staff/inbox").get_data(as_text=True)
    assert "د اقامې په اړه پوښتنه لرم" in html and 'href="tel:+905321234567"' in html
    callback_id = int(html.split("/staff/inbox/callbacks/", 1)[1].split("/", 1)[0])
    assert staff.post(f"/staff/inbox/callbacks/{callback_id}/done").status_code == 303
    again = staff.post(f"/staff/inbox/callbacks/{callback_id}/done")
    assert again.status_code == 409 and 'class="error-summary"' in again.get_data(as_text=True)
    assert "د اقامې" not in staff.get("/staff/inbox").get_data(as_text=True)
    with closed_inbox_app.app_context():
        actions = [e.action for e in db.session().scalars(select(AuditEvent).where(
            AuditEvent.object_type == "chat_callback"))]
    assert actions.count("callback.view") >= 1 and actions.count("callback.done") == 1


def test_call_back_actions_need_a_signed_in_agent(closed_inbox_app):
    client = closed_inbox_app.test_client()
    assert client.post("/staff/inbox/callbacks/1/done").status_code in (401, 303)
