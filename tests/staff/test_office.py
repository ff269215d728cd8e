"""Console appointments and cases pages: day list, search, attendance, cases, audit, bad input."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import db
from portal.appointments.models import Appointment
from portal.appointments.operations import book_appointment
from portal.audit import AuditEvent
from portal.timeutil import as_istanbul, utcnow
from tests.helpers.booking import OFFICE, future_slots, new_phone, service_slug
from tests.helpers.staff import add_staff, sign_in

NAME = "Demo Ayşe Örnek"


def book(app, start, name: str = NAME) -> str:
    with app.test_request_context():
        booking = book_appointment({"office": OFFICE, "service": service_slug(), "start": start, "name": name,
                                    "phone": new_phone(), "email": "", "lang": "en", "consent": True})
        return booking.appointment.reference


def audit_rows(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(a.action, a.object_ref) for a in db.session().scalars(select(AuditEvent).order_by(AuditEvent.id))]


def agent_client(app, username: str = "agent1", role: str = "agent"):
    add_staff(app, username, role)
    client = app.test_client()
    assert sign_in(client, username).status_code == 303
    client.set_cookie("lang", "en")
    return client


@pytest.mark.parametrize("method,url", [("get", "/staff/appointments"), ("post", "/staff/appointments/search"),
                                        ("post", "/staff/appointments/attendance"), ("get", "/staff/cases"),
                                        ("post", "/staff/cases/new"), ("post", "/staff/cases/find"),
                                        ("get", "/staff/cases/1"), ("post", "/staff/cases/1/events")])
def test_anonymous_users_are_sent_to_sign_in(client, method, url):
    resp = getattr(client, method)(url)
    assert resp.status_code == 303 and "/staff/login" in resp.headers["Location"]


def test_day_list_search_and_attendance(db_app):
    start = future_slots(db_app)[0]
    reference = book(db_app, start)
    day = as_istanbul(start).date().isoformat()
    client = agent_client(db_app)

    page = client.get(f"/staff/appointments?office={OFFICE}&day={day}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and reference in html and NAME in html
    assert len(re.findall(r'<option value="\d+"', html)) == 81                  # every office to choose from
    assert ("appointment.list", f"{OFFICE}:{day}") in audit_rows(db_app)
    assert f'<bdi dir="ltr">{as_istanbul(start).strftime("%H:%M")}</bdi>' in html     # Istanbul local time
    remembered = client.get("/staff/appointments").get_data(as_text=True)   # the office is remembered
    assert f'<option value="{OFFICE}" selected>' in remembered and "Upcoming days" in remembered
    assert re.search(rf'day={day}"[^>]*>[^<]+</a></th><td>1</td>', remembered)   # booked count on its day

    for query in ("aYŞE örn", "ayse", reference.lower().replace("-", " "), reference[4:8]):
        found = client.post("/staff/appointments/search", data={"office": OFFICE, "day": day, "q": query})
        assert found.status_code == 200 and reference in found.get_data(as_text=True), query
    nothing = client.post("/staff/appointments/search", data={"office": OFFICE, "day": day, "q": "Zeynep"})
    assert "No appointment matches" in nothing.get_data(as_text=True)
    assert reference not in nothing.get_data(as_text=True).split("Search results")[1].split("day-title")[0]
    assert any(action == "appointment.search" for action, _ref in audit_rows(db_app))

    early = client.post("/staff/appointments/attendance",       # a future appointment: not yet
                        data={"reference": reference, "status": "no_show", "office": OFFICE, "day": day})
    assert early.status_code == 409 and "only after the appointment time" in early.get_data(as_text=True)
    with db_app.app_context():                                    # the appointment time has come
        sess = db.begin_write()
        now = utcnow().replace(second=0, microsecond=0)
        sess.scalar(select(Appointment).where(Appointment.reference == reference)).start_at = now
        sess.commit()
    day = as_istanbul(now).date().isoformat()
    marked = client.post("/staff/appointments/attendance",
                         data={"reference": reference, "status": "attended", "office": OFFICE, "day": day})
    assert marked.status_code == 303 and f"day={day}" in marked.headers["Location"]
    with db_app.app_context():
        assert db.session().scalar(select(Appointment.status).where(Appointment.reference == reference)) == "attended"
    after = client.get(marked.headers["Location"]).get_data(as_text=True)
    assert "marked as attended" in after and 'class="tag status-attended"' in after
    assert ("appointment.attended", reference) in audit_rows(db_app)
    again = client.post("/staff/appointments/attendance",
                        data={"reference": reference, "status": "no_show", "office": OFFICE, "day": day})
    assert again.status_code == 409 and "can no longer be changed" in again.get_data(as_text=True)


def test_bad_appointment_input_gives_a_message_not_a_500(db_app):
    client = agent_client(db_app)
    cases = [
        (client.get(f"/staff/appointments?office={OFFICE}&day=2026-13-45"), 422, "Enter a date like"),
        (client.get(f"/staff/appointments?office={OFFICE}&day=9999-12-31"), 422, "Enter a date like"),
        (client.post("/staff/appointments/search", data={"office": OFFICE, "day": "1999-01-01", "q": "ab"}), 422,
         "Enter a date like"),
        (client.get("/staff/appointments?office=999"), 404, "Choose an office"),
        (client.post("/staff/appointments/search", data={"office": "", "q": "ab"}), 422, "Choose an office"),
        (client.post("/staff/appointments/search", data={"office": OFFICE, "q": "a"}), 422, "at least 2 characters"),
        (client.post("/staff/appointments/attendance", data={"reference": "GIB-2222-22", "status": "attended",
                                                             "office": OFFICE}), 404, "reference"),
        (client.post("/staff/appointments/attendance", data={"reference": "GIB-2222-22", "status": "late",
                                                             "office": OFFICE}), 422, "attended or no-show"),
    ]
    for resp, status, text in cases:
        html = resp.get_data(as_text=True)
        assert resp.status_code == status and 'class="error-summary"' in html and text in html, (status, text)
        assert "<title>Error:" in html


def test_upcoming_days_are_open_days_with_counts(db_app):
    from datetime import date
    from portal.appointments.operations import upcoming_days
    with db_app.app_context():
        days = upcoming_days(OFFICE, date(2026, 12, 24), 5)      # Thursday; Christmas is no Turkish holiday
    assert [d.isoformat() for d, _n in days] == ["2026-12-24", "2026-12-25", "2026-12-28", "2026-12-29",
                                                "2026-12-30"]   # weekend skipped
    with db_app.app_context():
        new_year = [d for d, _n in upcoming_days(OFFICE, date(2026, 12, 31), 2)]
    assert new_year == [date(2026, 12, 31), date(2027, 1, 4)]     # 1 January and the weekend are closed


def created_case(client, **extra) -> tuple[str, str, str]:
    data = {"service": service_slug(), "name": "Demo Olena Testova", "phone": "+380 67 123 4567", "lang": "uk",
            "office": str(OFFICE), "public_note": "Заяву зареєстровано."}
    data.update(extra)
    resp = client.post("/staff/cases/new", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 201, html
    number = re.search(r'id="created-number">([^<]+)<', html).group(1)
    code = re.search(r'id="created-code">([^<]+)<', html).group(1)
    found = client.post("/staff/cases/find", data={"number": number.lower()})
    assert found.status_code == 303
    return number, code, found.headers["Location"]


def test_open_a_case_add_an_event_change_the_status(db_app):
    client = agent_client(db_app)
    number, code, case_url = created_case(client)
    assert number not in case_url                       # case numbers stay out of URLs
    page = client.get(case_url).get_data(as_text=True)
    assert number in page and "Demo Olena Testova" in page and "Заяву зареєстровано." in page

    saved = client.post(f"{case_url}/events", data={"status": "interview", "public_note": "Співбесіда 2 грудня.",
                                                     "staff_note": "internal: interpreter needed"})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "The case is updated." in page and "internal: interpreter needed" in page
    assert re.search(r'id="case-status"><span class="tag status-interview">', page)
    note_only = client.post(f"{case_url}/events", data={"status": "interview", "staff_note": "called back"})
    assert note_only.status_code == 303

    public = client.post("/api/v1/cases/lookup", json={"number": number, "access_code": code})
    data = public.get_json()
    assert public.status_code == 200 and data["status"] == "interview"
    assert [e["status"] for e in data["events"]] == ["registered", "interview"]     # a note adds no event
    assert "internal" not in public.get_data(as_text=True)
    actions = audit_rows(db_app)
    for action in ("case.create", "case.read", "case.update"):
        assert (action, number) in actions, action


def test_decisions_need_a_supervisor_on_the_case_page(db_app):
    client = agent_client(db_app)
    _number, _code, case_url = created_case(client)
    assert 'value="decided"' not in client.get(case_url).get_data(as_text=True)
    denied = client.post(f"{case_url}/events", data={"status": "decided"})
    assert denied.status_code == 403 and "Only a supervisor" in denied.get_data(as_text=True)
    boss = agent_client(db_app, "boss1", "supervisor")
    assert boss.post(f"{case_url}/events", data={"status": "decided"}).status_code == 303


def test_bad_case_input_gives_a_message_not_a_500(db_app):
    client = agent_client(db_app)
    empty = client.post("/staff/cases/new", data={})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and 'href="#service"' in html and 'href="#name"' in html and 'href="#phone"' in html
    bad = client.post("/staff/cases/new", data={"service": service_slug(), "name": "Demo", "phone": "12",
                                                "office": "999"})
    assert bad.status_code == 422 and 'href="#phone"' in bad.get_data(as_text=True) and 'href="#office"' in bad.get_data(as_text=True)
    unknown = client.post("/staff/cases/find", data={"number": "GC-2026-222222"})
    assert unknown.status_code == 404 and "There is no case with this number." in unknown.get_data(as_text=True)
    blank = client.post("/staff/cases/find", data={"number": " "})
    assert blank.status_code == 422 and "Enter a case number" in blank.get_data(as_text=True)
    assert client.get("/staff/cases/987654").status_code == 404
    assert client.post("/staff/cases/987654/events", data={"public_note": "x"}).status_code == 404
    _number, _code, case_url = created_case(client)
    nothing = client.post(f"{case_url}/events", data={"status": "registered", "public_note": " "})
    assert nothing.status_code == 422 and "Enter a note or choose a status" in nothing.get_data(as_text=True)
    assert client.post(f"{case_url}/events", data={"status": "bogus"}).status_code == 422
    for resp in (empty, bad, unknown, blank, nothing):
        assert 'class="error-summary"' in resp.get_data(as_text=True)
    assert ("case.create", "") not in audit_rows(db_app)


def test_forms_need_a_csrf_token(make_app):
    from tests.helpers.app import migrate
    app = make_app(WTF_CSRF_ENABLED=True)
    migrate(app)
    add_staff(app, "agent1", "agent")
    client = app.test_client()
    assert sign_in(client, "agent1", csrf=True).status_code == 303
    for url in ("/staff/appointments/attendance", "/staff/appointments/search", "/staff/cases/new",
                "/staff/cases/find"):
        assert client.post(url, data={"q": "ab", "number": "x"}).status_code == 400, url
