from portal.chat.rasa_client import parse_reply


def test_messages_buttons_and_meta_are_separated():
    reply = parse_reply([
        {"recipient_id": "x", "text": "Answer", "buttons": [
            {"title": "Guide", "url": "/tr/services/travel-permit"},
            {"title": "Evil", "url": "https://evil.example"},
            {"title": "Book", "payload": "/book_appointment"}]},
        {"recipient_id": "x", "custom": {"meta": {"intent": "ask_question", "lang": "tr",
                                                  "sources": ["travel-permit"]}}},
        {"recipient_id": "x", "text": "  "},
        "junk",
    ])
    assert reply.messages == [{"text": "Answer", "buttons": [
        {"title": "Guide", "url": "/tr/services/travel-permit"}, {"title": "Book", "payload": "/book_appointment"}]}]
    assert reply.meta["intent"] == "ask_question"
    assert reply.meta["sources"] == ["travel-permit"]


def test_garbage_is_ignored():
    assert parse_reply({"not": "a list"}).messages == []
