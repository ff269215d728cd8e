from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from portal.chat import operations as ops
from portal.chat.models import Conversation, Handoff, Message
from portal.db import session
from portal.errors import Conflict, PermissionDenied

HANDOFF_REPLY = [{"custom": {"meta": {"intent": "human_handoff", "lang": "en", "handoff_request": True}}}]


def _handoff(client, fake_rasa):
    fake_rasa.replies.append(HANDOFF_REPLY)
    return client.post("/api/v1/chat", json={"message": "a person please", "lang": "en"}).get_json()


def test_handoff_in_working_hours_queues_and_the_bot_goes_quiet(chat_app, fake_rasa):
    client = chat_app.test_client()
    body = _handoff(client, fake_rasa)
    assert body["handoff"] == "waiting" and body["intent"] == "human_handoff"
    assert "157" in body["messages"][0]["text"]
    waiting = client.post("/api/v1/chat", json={"message": "hello?"}).get_json()
    assert waiting["handoff"] == "waiting" and len(fake_rasa.calls) == 1
    with chat_app.app_context():
        handoff = ops.waiting_handoffs()[0]
        ops.claim_handoff(handoff.id, "agent-1")
        ops.post_agent_reply(handoff.id, "agent-1", "Merhaba, ben Ayşe. Size nasıl yardımcı olabilirim?")
        session().commit()      # the caller owns the transaction (the staff inbox, in the portal)
    claimed = client.post("/api/v1/chat", json={"message": "my number is 0532 123 45 67"}).get_json()
    assert claimed["messages"] == [] and claimed["handoff"] == "claimed" and len(fake_rasa.calls) == 1
    polled = client.get("/api/v1/chat/messages?after=0").get_json()
    assert polled["handoff"] == "claimed" and polled["messages"][0]["role"] == "agent"
    with chat_app.app_context():
        ops.hand_back(handoff.id, "agent-1")
        session().commit()
        texts = [m.text for m in session().scalars(select(Message).where(Message.role == "user"))]
    assert "my number is [phone]" in texts
    client.post("/api/v1/chat", json={"message": "thanks"})
    assert len(fake_rasa.calls) == 2


def test_outside_hours_says_so_with_157_and_the_hours(make_migrated_app, fake_rasa):
    app = make_migrated_app(HANDOFF_HOURS="sat 03:00-03:01")
    body = _handoff(app.test_client(), fake_rasa)
    assert body["handoff"] is None
    assert "157" in body["messages"][0]["text"] and "03:00" in body["messages"][0]["text"]


def test_claim_is_atomic_and_only_the_owner_may_reply(chat_app, fake_rasa):
    _handoff(chat_app.test_client(), fake_rasa)
    with chat_app.app_context():
        handoff_id = ops.waiting_handoffs()[0].id
        assert ops.claim_handoff(handoff_id, "agent-1").claimed_by == "agent-1"
        with pytest.raises(Conflict):
            ops.claim_handoff(handoff_id, "agent-2")
        with pytest.raises(PermissionDenied):
            ops.post_agent_reply(handoff_id, "agent-2", "hi")
        assert ops.close_handoff(handoff_id, "agent-1").status == "closed"


def test_user_can_leave_the_queue(chat_app, fake_rasa):
    client = chat_app.test_client()
    _handoff(client, fake_rasa)
    client.post("/api/v1/chat", json={"message": "/stop"})
    assert fake_rasa.calls[-1][1] == "/stop"
    with chat_app.app_context():
        assert session().scalar(select(Handoff)).status == "closed"


def test_purge_removes_old_conversations(chat_app, fake_rasa):
    client = chat_app.test_client()
    client.post("/api/v1/chat", json={"message": "hello"})
    with chat_app.app_context():
        assert ops.purge_chat(days=30) == 0
        assert ops.purge_chat(days=30, now=datetime.utcnow() + timedelta(days=31)) == 1
        assert session().scalar(select(Conversation)) is None and session().scalar(select(Message)) is None


def test_with_the_assistant_down_the_person_button_still_hands_over(chat_app, fake_rasa):
    fake_rasa.down = True
    client = chat_app.test_client()
    body = client.post("/api/v1/chat", json={"message": "/human_handoff", "lang": "ar"}).get_json()
    assert body["degraded"] is True and body["intent"] == "human_handoff" and body["handoff"] == "waiting"
    assert body["messages"] and "157" in body["messages"][0]["text"] and body["lang"] == "ar"
    with chat_app.app_context():
        assert [h.status for h in session().scalars(select(Handoff))] == ["waiting"]


def test_a_degraded_reply_without_an_answer_offers_the_person_button(chat_app, fake_rasa, monkeypatch):
    from portal.chat import replies
    monkeypatch.setattr(replies, "knowledge_answers", lambda text, lang, k=3: {"abstain": True, "results": []})
    fake_rasa.down = True
    body = chat_app.test_client().post("/api/v1/chat", json={"message": "qwerty zxcv", "lang": "en"}).get_json()
    payloads = [b.get("payload") for m in body["messages"] for b in m.get("buttons", [])]
    assert body["degraded"] is True and "/human_handoff" in payloads
