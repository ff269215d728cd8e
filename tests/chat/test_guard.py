"""The conversation guard: a reply that is empty, or the same reply a third time in a row, starts a fresh
Rasa conversation and says so in the user's language, with the main choices."""
from sqlalchemy import select

from portal.chat.models import Conversation

SAME = [{"text": "Sorry, I did not understand."},
        {"custom": {"meta": {"intent": "book_appointment", "lang": "uk", "form": "booking_form"}}}]
MENU = [{"text": "What else can I help you with?", "buttons": [{"title": "Book", "payload": "/book_appointment"}]},
        {"custom": {"meta": {"intent": "greeting", "lang": "en"}}}]


def _sender(app) -> str:
    with app.app_context():
        from portal.db import session
        return session().scalar(select(Conversation)).sender


def test_an_empty_reply_restarts_the_conversation_with_an_apology(chat_app, fake_rasa):
    client = chat_app.test_client()
    client.post("/api/v1/chat", json={"message": "привіт", "lang": "uk"})
    first = _sender(chat_app)
    fake_rasa.replies.append([])        # Rasa answered nothing (an action failed)
    body = client.post("/api/v1/chat", json={"message": "Так, змінити", "lang": "uk"}).get_json()
    assert body["lang"] == "uk" and len(body["messages"]) == 1
    assert body["messages"][0]["text"] != "" and body["messages"][0]["buttons"]
    assert _sender(chat_app) != first        # a fresh tracker: whatever loop it was stuck in is gone
    client.post("/api/v1/chat", json={"message": "привіт", "lang": "uk"})
    assert fake_rasa.calls[-1][0] == _sender(chat_app)


def test_a_repeated_menu_outside_forms_is_not_stuck(chat_app, fake_rasa):
    client = chat_app.test_client()
    for _ in range(4):
        fake_rasa.replies.append(MENU)
        body = client.post("/api/v1/chat", json={"message": "ok", "lang": "en"}).get_json()
        assert body["messages"][0]["text"] == "What else can I help you with?"


def test_a_form_asking_the_same_thing_a_third_time_restarts_instead(chat_app, fake_rasa):
    client = chat_app.test_client()
    bodies = []
    for _ in range(3):
        fake_rasa.replies.append(SAME)
        bodies.append(client.post("/api/v1/chat", json={"message": "14 грудня", "lang": "uk"}).get_json())
    assert bodies[0]["messages"][0]["text"] == bodies[1]["messages"][0]["text"] == "Sorry, I did not understand."
    assert bodies[2]["messages"][0]["text"] != "Sorry, I did not understand."
    assert {b["payload"] for b in bodies[2]["messages"][0]["buttons"]} >= {"/book_appointment", "/human_handoff"}
    assert len({call[0] for call in fake_rasa.calls}) == 1 and _sender(chat_app) != fake_rasa.calls[0][0]
