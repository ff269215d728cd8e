"""Chat fixtures: a fake Rasa (monkeypatched REST call) for the portal-side unit tests. The real stack
for the live tests is the session fixture `live_stack` in tests/conftest.py."""
from __future__ import annotations

import pytest

from portal.chat import rasa_client


class FakeRasa:
    """Records what the portal sends and answers with canned replies (or fails)."""

    def __init__(self):
        self.calls: list[tuple[str, str, str]] = []
        self.replies: list = []
        self.down = False
        self.margins: list = []

    def send(self, sender: str, text: str, lang: str, danger_margin: float | None = None):
        self.calls.append((sender, text, lang))
        self.margins.append(danger_margin)
        if self.down:
            raise rasa_client.RasaUnavailable("down")
        raw = self.replies.pop(0) if self.replies else [
            {"text": "ok"}, {"custom": {"meta": {"intent": "greeting", "lang": lang, "sources": []}}}]
        return rasa_client.parse_reply(raw)


@pytest.fixture()
def fake_rasa(monkeypatch):
    fake = FakeRasa()
    monkeypatch.setattr(rasa_client, "send", fake.send)
    return fake


@pytest.fixture()
def chat_app(make_migrated_app):
    return make_migrated_app(HANDOFF_HOURS="mon-sun 00:00-23:59")


@pytest.fixture()
def chat_client(chat_app):
    return chat_app.test_client()
