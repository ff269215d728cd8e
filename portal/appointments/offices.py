"""Offices come from the knowledge base; their booking settings live in the database."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from .. import db
from ..collation import collated
from ..errors import NotFound
from ..knowledge_access import knowledge_base
from .models import Holiday, Office

DEFAULT_HOURS = "08:30-12:30, 13:30-17:30"   # the most common public-office day (content/offices.yaml)


def _hours_of(entry: dict) -> str:
    hours = entry.get("hours") or {}
    if isinstance(hours, dict):
        return str(hours.get("mon-fri") or next(iter(hours.values()), DEFAULT_HOURS))
    return str(hours or DEFAULT_HOURS)


def sync_offices() -> int:
    """Add offices of the knowledge base that the database lacks; update names. Returns how many were added."""
    sess = db.begin_write()
    existing = {o.code: o for o in sess.scalars(select(Office))}
    added = 0
    for entry in knowledge_base().offices:
        code = int(entry["code"])
        office = existing.get(code)
        if office is None:
            sess.add(Office(code=code, name=entry["name"], province=entry.get("province", ""),
                            hours=_hours_of(entry), slot_minutes=20, counters=2, closed_weekdays="5,6",
                            bookable=True))
            added += 1
        else:
            office.name, office.province = entry["name"], entry.get("province", office.province)
    sess.commit()
    return added


def ensure_offices() -> None:
    """First use on a fresh database: load the offices."""
    if not db.session().scalar(select(func.count()).select_from(Office)):
        sync_offices()


def list_offices() -> list[Office]:
    """Bookable offices in the Turkish alphabetical order of the province (İstanbul after Isparta,
    Şanlıurfa after Sivas): the names are Turkish whatever the reader's language."""
    ensure_offices()
    offices = db.session().scalars(select(Office).where(Office.bookable.is_(True)))
    return collated(offices, "tr", key=lambda office: office.province)


def get_office(code) -> Office:
    ensure_offices()
    try:
        number = int(code)
    except (TypeError, ValueError):
        number = 0
    office = db.session().get(Office, number) if 0 < number < 1000 else None
    if office is None or not office.bookable:
        raise NotFound()
    return office


def holidays_for(office_code: int, first: date, last: date) -> set[date]:
    rows = db.session().scalars(select(Holiday.day).where(
        Holiday.day.between(first, last),
        (Holiday.office_code.is_(None)) | (Holiday.office_code == office_code)))
    return set(rows)


def add_holiday(day: date, office_code: int | None = None, name: str = "") -> bool:
    """Close one day (every office, or one). Returns False when it was already closed."""
    sess = db.begin_write()
    exists = sess.scalar(select(Holiday).where(Holiday.day == day, Holiday.office_code.is_(None)
                                               if office_code is None else Holiday.office_code == office_code))
    if exists:
        return False
    sess.add(Holiday(day=day, office_code=office_code, name=name[:100]))
    sess.commit()
    return True
