"""The handoff inbox from both sides: an applicant asking for a person, an agent's signed-in client."""
from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.chat.models import Handoff
from tests.helpers.staff import sign_in


def agent(app, username: str):
    client = app.test_client()
    assert sign_in(client, username).status_code == 303
    return client


def applicant_asks_for_a_person(app, lang: str = "ar", text: str = "أريد التحدث مع موظف، رقمي 0532 123 45 67"):
    client = app.test_client()
    body = client.post("/api/v1/chat", json={"message": text, "lang": lang}).get_json()
    assert body["handoff"] == "waiting"
    with app.app_context():
        handoff_id = db.session().scalars(select(Handoff.id).order_by(Handoff.id.desc())).first()
    return client, handoff_id
