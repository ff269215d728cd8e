"""`flask seed-demo`: clearly fake demo data for `make run` (never in production).

Offices from the knowledge base, the religious holidays of 2026-2027, larger capacity at a few busy
offices, demo staff accounts, a few appointments in the coming weeks and a few cases. Runs once:
a second run sees the demo admin and does nothing.
"""
from __future__ import annotations

import sys
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from . import db

# Ramazan and Kurban Bayramı (and their eves, half days treated as closed), 2026-2027.
RELIGIOUS_HOLIDAYS = {
    "Ramazan Bayramı": ["2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22",
                        "2027-03-08", "2027-03-09", "2027-03-10", "2027-03-11"],
    "Kurban Bayramı": ["2026-05-26", "2026-05-27", "2026-05-28", "2026-05-29", "2026-05-30",
                       "2027-05-15", "2027-05-16", "2027-05-17", "2027-05-18", "2027-05-19"],
}
BUSY_OFFICES = {34: 4, 6: 3, 35: 3, 27: 3, 31: 3}     # İstanbul, Ankara, İzmir, Gaziantep, Hatay
DEMO_PASSWORD = "demo-password-please-change"
DEMO_PEOPLE = [("DEMO Ayşe Örnek", "+90 532 000 00 01", "tr"),
               ("DEMO أحمد مثال", "+90 532 000 00 02", "ar"),
               ("DEMO Олена Приклад", "+90 532 000 00 03", "uk"),
               ("DEMO John Example", "+90 532 000 00 04", "en")]


class SeedRefused(RuntimeError):
    pass


def seed_demo() -> list[str]:
    """Create the demo data; returns lines to show (demo logins, references and codes)."""
    cfg = current_app.config
    if cfg["ENV"] == "production" or not cfg["SEED_DEMO_DATA"]:
        raise SeedRefused("demo data is never seeded in production (or with SEED_DEMO_DATA=false)")
    from .appointments.models import Office
    from .appointments.offices import add_holiday, sync_offices
    from .staff.auth.models import StaffUser
    from .staff.auth.operations import create_staff_user
    if db.session().scalar(select(StaffUser).where(StaffUser.username == "demo-admin")):
        return ["demo data already present"]
    sync_offices()
    for name, days in RELIGIOUS_HOLIDAYS.items():
        for day in days:
            add_holiday(date.fromisoformat(day), None, name)
    sess = db.begin_write()
    for code, counters in BUSY_OFFICES.items():
        sess.get(Office, code).counters = counters
    sess.commit()
    lines = []
    users = {}
    for role in ("agent", "supervisor", "admin"):
        users[role] = create_staff_user(f"demo-{role}", f"DEMO {role.title()}", role, DEMO_PASSWORD)
        lines.append(f"staff demo-{role} / {DEMO_PASSWORD}")
    lines += _demo_bookings() + _demo_cases(users["agent"])
    return lines


def _demo_bookings() -> list[str]:
    from .appointments.offices import get_office
    from .appointments.operations import book_appointment
    from .appointments.slots import bookable_services, free_slots
    from .timeutil import as_istanbul, utcnow
    services = sorted(s.slug for s in bookable_services())
    if not services:
        return []
    lines = []
    first = as_istanbul(utcnow()).date() + timedelta(days=2)
    for i, (name, phone, lang) in enumerate(DEMO_PEOPLE):
        office = get_office([34, 6, 27, 34][i])
        slots = [s for s in free_slots(office, first + timedelta(days=i * 3), first + timedelta(days=i * 3 + 7))
                 if s["available"]]
        if not slots:
            continue
        booking = book_appointment({"office": office.code, "service": services[i % len(services)],
                                    "start": slots[i * 2]["start"], "name": name, "phone": phone,
                                    "email": None, "lang": lang, "consent": True})
        lines.append(f"appointment {booking.appointment.reference} / {booking.access_code} ({lang})")
    return lines


def _demo_cases(agent) -> list[str]:
    from .appointments.slots import bookable_services
    from .cases.operations import add_case_event, create_case
    services = sorted(s.slug for s in bookable_services()) or ["address-notification"]
    notes = {"tr": ("Başvurunuz kaydedildi.", "Mülakat için randevunuz verildi."),
             "ar": ("تم تسجيل طلبك.", "تم تحديد موعد المقابلة."),
             "uk": ("Вашу заяву зареєстровано.", "Вам призначено співбесіду.")}
    lines = []
    for (name, phone, lang) in DEMO_PEOPLE[:3]:
        new = create_case({"service": services[0], "name": name, "phone": phone, "lang": lang, "office": 34,
                           "public_note": notes[lang][0]}, agent)
        add_case_event(new.case.number, {"status": "interview", "public_note": notes[lang][1],
                                         "staff_note": "DEMO internal note"}, agent)
        lines.append(f"case {new.case.number} / {new.access_code} ({lang})")
    return lines


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Seed fake demo data (offices, holidays, staff, appointments, cases); refused in production."""
    try:
        lines = seed_demo()
    except SeedRefused as exc:
        click.echo(f"seed-demo skipped: {exc}", err=True)
        sys.exit(0)
    for line in lines:
        click.echo(line)
