"""Helpers shared by the booking, case and API tests."""
from __future__ import annotations

from datetime import timedelta
from itertools import count

from portal import db
from portal.appointments.models import Office
from portal.appointments.offices import get_office
from knowledge.loader import load
from portal.appointments.slots import free_slots
from portal.timeutil import as_istanbul, iso_utc, utcnow

OFFICE = 34   # İstanbul
_phones = count(1000)


def service_slug(index: int = 0) -> str:
    """A bookable service of the real content (the set grows as content is written)."""
    return sorted(s.slug for s in load().services.values() if s.bookable)[index]


def configure_office(app, code: int = OFFICE, counters: int = 2, slot_minutes: int = 20) -> None:
    with app.app_context():
        get_office(code)
        sess = db.begin_write()
        office = sess.get(Office, code)
        office.counters, office.slot_minutes = counters, slot_minutes
        sess.commit()


def future_slots(app, code: int = OFFICE, n: int = 2) -> list:
    """The first `n` free slot starts (naive UTC) from tomorrow on."""
    with app.app_context():
        office = get_office(code)
        first = as_istanbul(utcnow()).date() + timedelta(days=1)
        slots = [s["start"] for s in free_slots(office, first, first + timedelta(days=14)) if s["available"]]
        return slots[:n]


def new_phone() -> str:
    digits = f"{5321000000 + next(_phones)}"
    return f"0{digits[:3]} {digits[3:6]} {digits[6:8]} {digits[8:]}"


def payload(start, **extra) -> dict:
    body = {"office": OFFICE, "service": service_slug(), "start": iso_utc(start),
            "name": "Demo Ayşe Örnek", "phone": new_phone(), "email": "demo@example.com",
            "lang": "en", "consent": True}
    body.update(extra)
    return body
