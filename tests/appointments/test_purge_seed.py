"""Retention purge, demo seeding (never in production) and the appointments CLI."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal import db
from portal.appointments.models import Appointment, Holiday, Office
from portal.cases.models import Case, CaseEvent, CaseStaffNote
from portal.purge import purge_personal_data
from portal.timeutil import utcnow
from tests.helpers.booking import future_slots, payload
from tests.helpers.cases import create_case
from tests.helpers.staff import make_staff


def test_purge_keeps_statistics_but_removes_personal_data(db_client, db_app):
    start = future_slots(db_app)[0]
    assert db_client.post("/api/v1/appointments", json=payload(start)).status_code == 201
    agent = make_staff(db_app, "boss", "supervisor")
    number = create_case(db_client, agent).get_json()["number"]
    db_client.post(f"/api/v1/staff/cases/{number}/events", json={"status": "decided", "staff_note": "x"},
                   headers={"Authorization": f"Bearer {agent}"})
    with db_app.app_context():
        assert purge_personal_data() == {"appointments": 0, "cases": 0}
        later = utcnow() + timedelta(days=400)
        assert purge_personal_data(now=later) == {"appointments": 1, "cases": 1}
        sess = db.session()
        appt = sess.scalar(select(Appointment))
        assert appt.full_name is None and appt.phone is None and appt.purged_at is not None
        assert appt.office_code == 34 and appt.service_slug
        case = sess.scalar(select(Case))
        assert case.full_name is None and case.status == "decided"
        assert sess.scalar(select(func.count()).select_from(CaseStaffNote)) == 0
        assert all(e.public_note == "" for e in sess.scalars(select(CaseEvent)))
    runner = db_app.test_cli_runner()
    assert "purged 0 appointments" in runner.invoke(args=["purge"]).output


def test_seed_demo_runs_once_and_never_in_production(app, make_app):
    runner = app.test_cli_runner()
    out = runner.invoke(args=["seed-demo"]).output
    assert "demo-admin" in out and "appointment GIB-" in out and "case GC-" in out
    assert "already present" in runner.invoke(args=["seed-demo"]).output
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Office)) == 81
        assert db.session().scalar(select(func.count()).select_from(Holiday)) >= 10
    prod = make_app(ENV="production", SECRET_KEY="x" * 32)
    result = prod.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "skipped" in result.output


def test_holidays_and_settings_cli_close_days(app):
    runner = app.test_cli_runner()
    day = date.today() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    assert "added" in runner.invoke(args=["appointments", "holiday", day.isoformat()]).output
    assert "already" in runner.invoke(args=["appointments", "holiday", day.isoformat()]).output
    out = runner.invoke(args=["appointments", "settings", "6", "--counters", "5", "--slot-minutes", "30"]).output
    assert "5 counters, 30 min" in out
    client = app.test_client()
    from tests.helpers.booking import service_slug
    slots = client.get(f"/api/v1/offices/6/slots?service={service_slug()}&from={day}&to={day}").get_json()["slots"]
    assert slots == []
    other = day + timedelta(days=1 if day.weekday() < 4 else 3)
    slots = client.get(f"/api/v1/offices/6/slots?service={service_slug()}&from={other}&to={other}").get_json()["slots"]
    assert len(slots) == 16 and slots[0]["available"] == 5   # 8 in the morning, 8 after lunch
