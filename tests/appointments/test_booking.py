"""Booking rules on SQLite and PostgreSQL: capacity, one booking per applicant, idempotency, races."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal import db
from portal.appointments.models import Appointment
from tests.helpers.booking import configure_office, future_slots, payload, service_slug


def book(client, body, **headers):
    return client.post("/api/v1/appointments", json=body, headers=headers)


def test_booking_returns_reference_and_code_once(db_client, db_app):
    start = future_slots(db_app)[0]
    resp = book(db_client, payload(start))
    assert resp.status_code == 201
    data = resp.get_json()
    assert data["reference"].startswith("GIB-") and len(data["reference"]) == 11
    assert len(data["access_code"]) == 9
    assert data["appointment"]["local_start"].endswith("+03:00")
    with db_app.app_context():
        appt = db.session().scalar(select(Appointment))
        assert appt.phone.startswith("+90") and data["access_code"] not in (appt.access_hash or "")


def test_capacity_is_never_exceeded(db_client, db_app):
    configure_office(db_app, counters=2)
    start = future_slots(db_app)[0]
    codes = [book(db_client, payload(start)).status_code for _ in range(4)]
    assert codes == [201, 201, 409, 409]
    resp = book(db_client, payload(start))
    assert resp.get_json()["error"] == "slot_full" and "start" in resp.get_json()["fields"]


def test_one_active_appointment_per_person_and_service(db_client, db_app):
    first, second = future_slots(db_app, n=2)
    body = payload(first, phone="+90 532 555 44 33")
    assert book(db_client, body).status_code == 201
    again = book(db_client, payload(second, phone="0532 555 44 33", name="demo  AYŞE örnek"))  # same person
    assert again.status_code == 409 and again.get_json()["error"] == "already_booked"
    assert set(again.get_json()["fields"]) == {"name"}
    if _has_second_service():
        other = book(db_client, payload(second, phone="05325554433", service=service_slug(1)))
        assert other.status_code == 201


def _has_second_service() -> bool:
    try:
        service_slug(1)
        return True
    except IndexError:
        return False


def test_idempotency_key_books_once_and_replays_the_same_code(db_client, db_app):
    start = future_slots(db_app)[0]
    body = payload(start)
    one = book(db_client, body, **{"Idempotency-Key": "retry-key-0001"})
    two = book(db_client, body, **{"Idempotency-Key": "retry-key-0001"})
    assert one.status_code == 201 and two.status_code == 201
    assert one.get_json()["reference"] == two.get_json()["reference"]
    assert one.get_json()["access_code"] == two.get_json()["access_code"]
    other = book(db_client, dict(body, name="Someone Else"), **{"Idempotency-Key": "retry-key-0001"})
    assert other.status_code == 409
    with db_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Appointment)) == 1


def test_cancel_frees_the_slot(db_client, db_app):
    configure_office(db_app, counters=1)
    start = future_slots(db_app)[0]
    data = book(db_client, payload(start)).get_json()
    assert book(db_client, payload(start)).status_code == 409
    cancel = db_client.post("/api/v1/appointments/cancel",
                            json={"reference": data["reference"], "access_code": data["access_code"]})
    assert cancel.status_code == 200 and cancel.get_json()["status"] == "cancelled"
    assert book(db_client, payload(start)).status_code == 201
    again = db_client.post("/api/v1/appointments/cancel",
                           json={"reference": data["reference"], "access_code": data["access_code"]})
    assert again.status_code == 409


def test_reschedule_is_atomic(db_client, db_app):
    configure_office(db_app, counters=1)
    first, second = future_slots(db_app, n=2)
    mine = book(db_client, payload(first)).get_json()
    book(db_client, payload(second))                      # somebody takes the other slot
    access = {"reference": mine["reference"], "access_code": mine["access_code"]}
    full = db_client.post("/api/v1/appointments/reschedule", json=dict(access, start=second.isoformat() + "Z"))
    assert full.status_code == 409
    look = db_client.post("/api/v1/appointments/lookup", json=access).get_json()
    assert look["start"] == first.isoformat() + "Z" and look["status"] == "booked"
    third = future_slots(db_app, n=1)[0]
    moved = db_client.post("/api/v1/appointments/reschedule", json=dict(access, start=third.isoformat() + "Z"))
    assert moved.status_code == 200 and moved.get_json()["start"] == third.isoformat() + "Z"
    assert book(db_client, payload(first)).status_code == 201   # the old slot is free again


def test_concurrent_bookings_on_one_slot(db_app):
    """Many threads, one slot of capacity 3: exactly 3 bookings, the rest get slot_full."""
    configure_office(db_app, counters=3)
    start = future_slots(db_app)[0]
    bodies = [payload(start) for _ in range(24)]
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def attempt(body):
        client = db_app.test_client()
        barrier.wait()
        resp = client.post("/api/v1/appointments", json=body)
        with lock:
            results.append((resp.status_code, (resp.get_json() or {}).get("error", "")))

    threads = [threading.Thread(target=attempt, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(code for code, _ in results).count(201) == 3
    assert [e for code, e in results if code != 201] == ["slot_full"] * 21
    with db_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Appointment)) == 3


def test_concurrent_double_booking_by_one_applicant(db_app):
    """The same phone books the same service in two free slots at once: only one succeeds."""
    configure_office(db_app, counters=3)
    slots = future_slots(db_app, n=6)
    bodies = [payload(s, phone="+90 532 777 66 55") for s in slots]
    barrier = threading.Barrier(len(bodies))
    codes: list[int] = []

    def attempt(body):
        client = db_app.test_client()
        barrier.wait()
        codes.append(client.post("/api/v1/appointments", json=body).status_code)

    threads = [threading.Thread(target=attempt, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(codes) == [201] + [409] * 5


def test_a_family_sharing_one_phone_books_for_each_member_up_to_a_limit(db_client, db_app):
    from portal.appointments.operations import MAX_PER_PHONE
    configure_office(db_app, counters=8)
    slots = future_slots(db_app, n=MAX_PER_PHONE + 1)
    names = ["Fatima Hassan", "Omar Hassan", "Layla Hassan", "Yusuf Hassan", "Mariam Hassan", "Ali Hassan",
             "Zeynep Hassan"]
    codes = [book(db_client, payload(slots[i], phone="0533 777 88 99", name=names[i])).status_code
             for i in range(MAX_PER_PHONE + 1)]
    assert codes == [201] * MAX_PER_PHONE + [409]
    refused = book(db_client, payload(slots[0], phone="0533 777 88 99", name="Another Person")).get_json()
    assert refused["error"] == "phone_limit" and "phone" in refused["fields"]
    assert "Hassan" not in refused["message"] and "GIB-" not in refused["message"]   # nothing about the others


def test_parallel_retries_with_one_idempotency_key_all_replay_the_first_booking(db_app):
    """A client that times out and retries at once: every answer is the same booking (201), none a 409."""
    configure_office(db_app, counters=1)
    body = payload(future_slots(db_app, n=1)[0])
    barrier = threading.Barrier(8)
    answers: list[tuple[int, str, str]] = []
    lock = threading.Lock()

    def attempt():
        client = db_app.test_client()
        barrier.wait()
        resp = client.post("/api/v1/appointments", json=body, headers={"Idempotency-Key": "parallel-retry-0001"})
        data = resp.get_json() or {}
        with lock:
            answers.append((resp.status_code, data.get("reference", ""), data.get("access_code", "")))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert [code for code, _, _ in answers] == [201] * 8
    assert len({(ref, code) for _, ref, code in answers}) == 1
    with db_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Appointment)) == 1
