"""Fixtures of the staff tests: a Rasa stand-in that hands every chat over, and an inbox app."""
from __future__ import annotations

import pytest

from portal.chat import rasa_client
from portal.staff.auth.operations import create_staff_user
from tests.helpers.app import migrate
from tests.helpers.staff import PASSWORD

HANDOFF_META = {"intent": "human_handoff", "handoff_request": True}


@pytest.fixture()
def bot_hands_over(monkeypatch):
    """Rasa stand-in: every message asks for a person."""
    def send(sender, text, lang, danger_margin=None):
        return rasa_client.parse_reply([{"custom": {"meta": {**HANDOFF_META, "lang": lang}}}])
    monkeypatch.setattr(rasa_client, "send", send)


def make_inbox_app(make_app, database_url, hours: str, agents: dict[str, str]):
    """A migrated app (SQLite and PostgreSQL) with these hand-over hours and agents {username: name}."""
    app = make_app(DATABASE_URL=database_url, HANDOFF_HOURS=hours)
    migrate(app)
    with app.app_context():
        for username, name in agents.items():
            create_staff_user(username, name, "agent", PASSWORD)
    return app


@pytest.fixture()
def inbox_app(make_app, database_url, bot_hands_over):
    """Staff on duty around the clock and two agents."""
    return make_inbox_app(make_app, database_url, "mon-sun 00:00-23:59",
                          {"ayse": "Ayşe Yılmaz", "mehmet": "Mehmet Kaya"})


@pytest.fixture()
def closed_inbox_app(make_app, database_url, bot_hands_over):
    """Hand-over hours that are (practically) never open, and one agent."""
    return make_inbox_app(make_app, database_url, "mon-fri 09:00-09:01", {"ayse": "Ayşe Yılmaz"})
