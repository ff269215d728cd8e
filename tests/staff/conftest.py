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


@pytest.fixture()
def inbox_app(make_app, database_url, bot_hands_over):
    """A migrated app (SQLite and PostgreSQL) with staff on duty around the clock and two agents."""
    app = make_app(DATABASE_URL=database_url, HANDOFF_HOURS="mon-sun 00:00-23:59")
    migrate(app)
    with app.app_context():
        create_staff_user("ayse", "Ayşe Yılmaz", "agent", PASSWORD)
        create_staff_user("mehmet", "Mehmet Kaya", "agent", PASSWORD)
    return app
