"""Cases: staff create them and add events; applicants see only the public timeline."""
from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from tests.helpers.cases import create_case
from tests.helpers.staff import make_staff


def test_case_timeline_and_staff_notes_stay_separate(db_client, db_app):
    agent = make_staff(db_app, "agent", "agent")
    created = create_case(db_client, agent)
    assert created.status_code == 201
    number, code = created.get_json()["number"], created.get_json()["access_code"]
    auth = {"Authorization": f"Bearer {agent}"}
    event = db_client.post(f"/api/v1/staff/cases/{number}/events", headers=auth,
                           json={"status": "interview", "public_note": "Співбесіда 2 грудня.",
                                 "staff_note": "internal: interpreter needed"})
    assert event.status_code == 201 and event.get_json()["staff_notes"][0]["text"].startswith("internal")
    public = db_client.post("/api/v1/cases/lookup", json={"number": number, "access_code": code, "lang": "uk"})
    data = public.get_json()
    assert public.status_code == 200 and data["status"] == "interview"
    assert [e["status"] for e in data["events"]] == ["registered", "interview"]
    assert "internal" not in public.get_data(as_text=True) and "phone" not in data
    with db_app.app_context():
        actions = [a.action for a in db.session().scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[:3] == ["case.create", "case.update", "case.read"] and "case.lookup" in actions


def test_decisions_need_a_supervisor(db_client, db_app):
    agent = make_staff(db_app, "agent", "agent")
    boss = make_staff(db_app, "boss", "supervisor")
    number = create_case(db_client, agent).get_json()["number"]
    denied = db_client.post(f"/api/v1/staff/cases/{number}/events", json={"status": "decided"},
                            headers={"Authorization": f"Bearer {agent}"})
    assert denied.status_code == 403
    allowed = db_client.post(f"/api/v1/staff/cases/{number}/events", json={"status": "decided"},
                             headers={"Authorization": f"Bearer {boss}"})
    assert allowed.status_code == 201 and allowed.get_json()["status"] == "decided"


def test_wrong_code_and_unknown_case_look_the_same(db_client, db_app):
    agent = make_staff(db_app)
    number = create_case(db_client, agent).get_json()["number"]
    wrong = db_client.post("/api/v1/cases/lookup", json={"number": number, "access_code": "2222-2222"})
    unknown = db_client.post("/api/v1/cases/lookup", json={"number": "GC-2026-222222", "access_code": "2222-2222"})
    assert wrong.status_code == unknown.status_code == 404 and wrong.get_json() == unknown.get_json()


def test_case_validation_and_auth(db_client, db_app):
    assert create_case(db_client, "gst_wrong").status_code == 401
    agent = make_staff(db_app)
    bad = create_case(db_client, agent, phone="nope", service="unknown")
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"phone", "service"}
    empty = db_client.post("/api/v1/staff/cases/GC-2026-222222/events", json={},
                           headers={"Authorization": f"Bearer {agent}"})
    assert empty.status_code == 422
