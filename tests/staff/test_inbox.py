"""Handover inbox (/staff/inbox) on SQLite and PostgreSQL: list, take, reply, hand back, close;
the applicant sees the reply; one agent per conversation, also when two take it at the same moment."""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from portal.chat.models import Handoff
from portal.staff.auth.models import StaffUser
from tests.helpers.inbox import agent, applicant_asks_for_a_person

JSON = {"Accept": "application/json"}


def audit(app, action: str | None = None) -> list[tuple[str, str, str, str]]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.object_type == "chat_handoff").order_by(AuditEvent.id)
        rows = db.session().scalars(query).all()
        return [(r.actor, r.action, r.object_ref, r.outcome) for r in rows if action in (None, r.action)]


def staff_ref(app, username: str) -> str:
    with app.app_context():
        return f"staff:{db.session().scalar(select(StaffUser.id).where(StaffUser.username == username))}"


ROUTES = [("get", "/staff/inbox"), ("get", "/staff/inbox/1"), ("post", "/staff/inbox/1/claim"),
          ("post", "/staff/inbox/1/reply"), ("post", "/staff/inbox/1/hand-back"), ("post", "/staff/inbox/1/close"),
          ("get", "/api/v1/staff/inbox"), ("get", "/api/v1/staff/inbox/1/messages")]


@pytest.mark.parametrize("method,url", ROUTES)
def test_anonymous_users_are_refused(client, method, url):
    resp = getattr(client, method)(url, headers=JSON if "/api/" in url else {})
    if "/api/" in url:
        assert resp.status_code == 401 and resp.get_json()["error"] == "unauthorized"
    else:
        assert resp.status_code == 303 and "/staff/login" in resp.headers["Location"]


def test_agent_takes_replies_and_hands_back(inbox_app):
    applicant, handoff_id = applicant_asks_for_a_person(inbox_app)
    ayse = agent(inbox_app, "ayse")
    me = staff_ref(inbox_app, "ayse")

    listing = ayse.get("/staff/inbox?lang=en")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200 and listing.headers["Cache-Control"] == "no-store"
    assert f'<tr data-id="{handoff_id}">' in html and '<span lang="ar">العربية</span>' in html
    assert re.search(r'<time datetime="PT\d+S" class="inbox-wait">\d+ seconds?</time>', html)
    assert "Take this conversation" in html and 'aria-current="page"' in html

    taken = ayse.post(f"/staff/inbox/{handoff_id}/claim")
    assert taken.status_code == 303 and taken.headers["Location"].endswith(f"/staff/inbox/{handoff_id}")
    page = ayse.get(f"/staff/inbox/{handoff_id}?lang=en").get_data(as_text=True)
    assert "You have this conversation" in page and 'id="reply-text"' in page
    assert '<p lang="ar" dir="auto">أريد التحدث مع موظف، رقمي [phone]</p>' in page
    assert "0532" not in page and "Applicant" in page

    sent = ayse.post(f"/staff/inbox/{handoff_id}/reply", data={"text": "مرحبا، أنا عائشة. كيف أساعدك؟"})
    assert sent.status_code == 303
    polled = applicant.get("/api/v1/chat/messages?after=0").get_json()
    assert polled["handoff"] == "claimed"
    assert [(m["role"], m["text"]) for m in polled["messages"]] == [("agent", "مرحبا، أنا عائشة. كيف أساعدك؟")]
    assert "مرحبا، أنا عائشة" in applicant.get("/ar/chat").get_data(as_text=True)   # the no-JavaScript page
    assert applicant.post("/api/v1/chat", json={"message": "شكرا"}).get_json()["messages"] == []  # bot is quiet

    back = ayse.post(f"/staff/inbox/{handoff_id}/hand-back")
    assert back.status_code == 303 and back.headers["Location"].endswith("/staff/inbox?done=handed_back")
    assert "The conversation is back with the assistant." in ayse.get(back.headers["Location"] + "&lang=en").get_data(as_text=True)
    after = applicant.get("/api/v1/chat/messages?after=0").get_json()
    assert after["handoff"] is None and after["messages"][-1]["role"] == "system"
    assert [a[1] for a in audit(inbox_app)] == ["chat.claim", "chat.view", "chat.reply", "chat.hand_back"]
    assert {a[0] for a in audit(inbox_app)} == {me} and {a[2] for a in audit(inbox_app)} == {str(handoff_id)}


def test_a_second_agent_sees_who_has_it_and_cannot_act(inbox_app):
    _, handoff_id = applicant_asks_for_a_person(inbox_app, "fa", "می‌خواهم با یک نفر صحبت کنم")
    ayse, mehmet = agent(inbox_app, "ayse"), agent(inbox_app, "mehmet")
    assert ayse.post(f"/staff/inbox/{handoff_id}/claim").status_code == 303

    listing = mehmet.get("/staff/inbox?lang=en").get_data(as_text=True)
    assert "Ayşe Yılmaz" in listing and f'action="/staff/inbox/{handoff_id}/claim"' not in listing
    page = mehmet.get(f"/staff/inbox/{handoff_id}?lang=en").get_data(as_text=True)
    assert "Ayşe Yılmaz has this conversation" in page and 'id="reply-text"' not in page
    assert 'lang="fa" dir="auto"' in page

    for action, data in (("reply", {"text": "Merhaba"}), ("hand-back", {}), ("close", {})):
        resp = mehmet.post(f"/staff/inbox/{handoff_id}/{action}?lang=en", data=data)
        assert resp.status_code == 403, action
        assert "Ayşe Yılmaz has already taken this conversation." in resp.get_data(as_text=True)
    again = mehmet.post(f"/staff/inbox/{handoff_id}/claim?lang=tr")
    assert again.status_code == 409 and 'role="alert"' in again.get_data(as_text=True)
    with inbox_app.app_context():
        handoff = db.session().get(Handoff, handoff_id)
        assert handoff.status == "claimed" and handoff.claimed_by == staff_ref(inbox_app, "ayse")
        assert [m.role for m in handoff.conversation.messages if m.role == "agent"] == []
    mehmet_ref = staff_ref(inbox_app, "mehmet")
    refused = [a[1] for a in audit(inbox_app) if a[0] == mehmet_ref and a[3] == "denied"]
    assert refused == ["chat.reply", "chat.hand_back", "chat.close", "chat.claim"]


def test_bad_input_gives_clear_messages_not_errors(inbox_app):
    _, handoff_id = applicant_asks_for_a_person(inbox_app)
    ayse = agent(inbox_app, "ayse")
    early = ayse.post(f"/staff/inbox/{handoff_id}/reply?lang=en", data={"text": "hello"})
    assert early.status_code == 409 and "Take this conversation first." in early.get_data(as_text=True)
    ayse.post(f"/staff/inbox/{handoff_id}/claim")
    empty = ayse.post(f"/staff/inbox/{handoff_id}/reply?lang=en", data={"text": "   "})
    assert empty.status_code == 422 and "Write a reply before sending." in empty.get_data(as_text=True)
    assert "<title>Error:" in empty.get_data(as_text=True)
    missing = ayse.post("/staff/inbox/99999/claim?lang=en")
    assert missing.status_code == 404 and "This conversation does not exist." in missing.get_data(as_text=True)
    assert ayse.get("/staff/inbox/99999").status_code == 404
    assert ayse.get("/api/v1/staff/inbox/99999/messages", headers=JSON).status_code == 404


def test_close_and_json_polling(inbox_app):
    applicant, handoff_id = applicant_asks_for_a_person(inbox_app, "ru", "Хочу поговорить с человеком")
    ayse = agent(inbox_app, "ayse")
    listing = ayse.get("/api/v1/staff/inbox", headers=JSON)
    assert listing.headers["Cache-Control"] == "no-store"
    rows = listing.get_json()["handoffs"]
    assert [(r["id"], r["status"], r["lang"], r["claimed_by"]) for r in rows] == [(handoff_id, "waiting", "ru", None)]
    assert rows[0]["wait"]["iso"].startswith("PT")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows[0]["requested_at"])   # valid for <time>
    before = len(audit(inbox_app, "chat.view"))
    first = ayse.get(f"/api/v1/staff/inbox/{handoff_id}/messages?after=0", headers=JSON).get_json()
    assert first["messages"][0]["text"] == "Хочу поговорить с человеком" and first["status"] == "waiting"
    assert len(audit(inbox_app, "chat.view")) == before + 1
    ayse.post(f"/staff/inbox/{handoff_id}/claim")
    applicant.post("/api/v1/chat", json={"message": "Вы здесь?"})
    newer = ayse.get(f"/api/v1/staff/inbox/{handoff_id}/messages?after={first['messages'][-1]['id']}",
                     headers=JSON).get_json()
    assert [m["text"] for m in newer["messages"]] == ["Вы здесь?"] and newer["mine"] is True
    closed = ayse.post(f"/staff/inbox/{handoff_id}/close")
    assert closed.status_code == 303 and closed.headers["Location"].endswith("done=closed")
    assert ayse.get("/api/v1/staff/inbox", headers=JSON).get_json()["handoffs"] == []
    assert applicant.get("/api/v1/chat/messages").get_json()["handoff"] is None
    assert audit(inbox_app, "chat.close")[-1][3] == "ok"


def test_two_agents_take_the_same_conversation_at_once(inbox_app, monkeypatch):
    """Real concurrency: two signed-in clients post the claim from two threads at the same moment;
    both requests are inside the claim route before either opens its write transaction."""
    from portal.staff.inbox import operations as inbox
    ayse, mehmet = agent(inbox_app, "ayse"), agent(inbox_app, "mehmet")
    refs = {"ayse": staff_ref(inbox_app, "ayse"), "mehmet": staff_ref(inbox_app, "mehmet")}
    real_begin_write = inbox.begin_write
    for round_no in range(4):
        _, handoff_id = applicant_asks_for_a_person(inbox_app, "tr", f"Bir kişiyle konuşmak istiyorum {round_no}")
        start, results, both_in_route = threading.Barrier(2), {}, threading.Barrier(2, timeout=30)

        def begin_write_together(*args):
            both_in_route.wait()
            return real_begin_write(*args)

        monkeypatch.setattr(inbox, "begin_write", begin_write_together)

        def take(name, client):
            start.wait()
            resp = client.post(f"/staff/inbox/{handoff_id}/claim?lang=en")
            results[name] = (resp.status_code, resp.get_data(as_text=True))

        threads = [threading.Thread(target=take, args=(n, c)) for n, c in (("ayse", ayse), ("mehmet", mehmet))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(code for code, _ in results.values())
        assert codes == [303, 409], results
        winner = next(n for n, (code, _) in results.items() if code == 303)
        loser = next(n for n, (code, _) in results.items() if code == 409)
        full = {"ayse": "Ayşe Yılmaz", "mehmet": "Mehmet Kaya"}[winner]
        assert f"{full} has already taken this conversation." in results[loser][1]
        with inbox_app.app_context():
            assert db.session().get(Handoff, handoff_id).claimed_by == refs[winner]
        claims = [(a[0], a[3]) for a in audit(inbox_app, "chat.claim") if a[2] == str(handoff_id)]
        assert sorted(claims) == sorted([(refs[winner], "ok"), (refs[loser], "denied")])
