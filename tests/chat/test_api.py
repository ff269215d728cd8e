from sqlalchemy import select

from portal.chat.models import Conversation, Message

KEYS = {"session", "lang", "messages", "intent", "sources", "handoff", "emergency", "degraded"}


def test_contract_and_server_side_sender(chat_client, chat_app, fake_rasa):
    resp = chat_client.post("/api/v1/chat", json={"message": "merhaba", "lang": "tr"})
    body = resp.get_json()
    assert resp.status_code == 200 and set(body) == KEYS
    assert body["messages"] == [{"text": "ok"}] and body["intent"] == "greeting" and body["degraded"] is False
    sender = fake_rasa.calls[0][0]
    assert sender != body["session"] and sender not in resp.headers.get("Set-Cookie", "")
    # the cookie keeps the conversation; a client-chosen "session" cannot pick the Rasa sender
    chat_client.post("/api/v1/chat", json={"message": "tekrar", "session": sender})
    assert fake_rasa.calls[1][0] == sender
    with chat_app.app_context():
        from portal.db import session
        assert session().scalar(select(Conversation).where(Conversation.sender == sender)) is not None


def test_non_browser_clients_use_the_session_field(chat_app, fake_rasa):
    first = chat_app.test_client().post("/api/v1/chat", json={"message": "hi"}).get_json()
    other = chat_app.test_client()
    other.post("/api/v1/chat", json={"message": "again", "session": first["session"]})
    assert fake_rasa.calls[0][0] == fake_rasa.calls[1][0]
    unknown = chat_app.test_client().post("/api/v1/chat", json={"message": "x", "session": "made-up"}).get_json()
    assert unknown["session"] != "made-up" and fake_rasa.calls[2][0] != fake_rasa.calls[0][0]


def test_bad_input_is_4xx_json(chat_client, fake_rasa):
    for payload in ({}, {"message": ""}, {"message": 5}, {"message": "   "}):
        resp = chat_client.post("/api/v1/chat", json=payload)
        assert resp.status_code == 422 and resp.get_json()["error"] == "validation_failed"
    resp = chat_client.post("/api/v1/chat", data="not json", content_type="text/plain")
    assert resp.status_code == 422
    assert chat_client.post("/api/v1/chat", json=["list"]).status_code == 422
    assert fake_rasa.calls == []


def test_unknown_slash_commands_are_sent_as_plain_text(chat_client, fake_rasa):
    chat_client.post("/api/v1/chat", json={"message": "/book_appointment"})
    chat_client.post("/api/v1/chat", json={"message": '/inform{"bk_name": "x"}'})
    assert fake_rasa.calls[0][1] == "/book_appointment"
    assert not fake_rasa.calls[1][1].startswith("/")


def test_stored_text_is_masked(chat_client, chat_app, fake_rasa):
    chat_client.post("/api/v1/chat", json={"message": "telefonum 0532 123 45 67, kod K7P2QX"})
    with chat_app.app_context():
        from portal.db import session
        texts = [m.text for m in session().scalars(select(Message).where(Message.role == "user"))]
    assert texts == ["telefonum [phone], kod [code]"]


def test_emergency_screen_runs_before_rasa(chat_client, fake_rasa):
    body = chat_client.post("/api/v1/chat", json={"message": "mon mari me frappe", "lang": "tr"}).get_json()
    assert body["emergency"] is True and body["intent"] == "emergency"
    assert body["messages"][0]["text"].startswith("112") and "157" in body["messages"][1]["text"]
    assert [b["url"] for b in body["messages"][0]["buttons"]] == ["tel:112"]
    assert body["lang"] == "fr"
    assert fake_rasa.calls == []
    assert body["handoff"] == "waiting"          # staff see it at once, flagged urgent


def test_degraded_when_rasa_is_down(chat_client, fake_rasa):
    fake_rasa.down = True
    body = chat_client.post("/api/v1/chat", json={"message": "ikamet izni nasıl uzatılır", "lang": "tr"}).get_json()
    assert body["degraded"] is True and body["messages"]
    assert any(b.get("url") for m in body["messages"] for b in m.get("buttons", []))


def test_language_follows_the_bot(chat_client, fake_rasa):
    fake_rasa.replies.append([{"text": "مرحبا"}, {"custom": {"meta": {"intent": "greeting", "lang": "ar"}}}])
    body = chat_client.post("/api/v1/chat", json={"message": "مرحبا كيف حالك اليوم", "lang": "tr"}).get_json()
    assert body["lang"] == "ar"
    chat_client.post("/api/v1/chat", json={"message": "x"})
    assert fake_rasa.calls[1][2] == "ar"


def test_an_empty_message_is_refused_in_the_askers_language(chat_app, fake_rasa):
    from flask_babel import force_locale, gettext
    for lang in ("ar", "de"):
        resp = chat_app.test_client().post("/api/v1/chat", json={"message": "   ", "lang": lang})
        with chat_app.test_request_context(), force_locale(lang):
            expected = gettext("Please type your question.")
        assert resp.status_code == 422 and resp.get_json()["fields"] == {"message": expected}
        assert expected != "Please type your question."
    assert not fake_rasa.calls
