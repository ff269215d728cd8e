"""Free slots of an office for a date range, and checking one requested start time."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import db
from ..errors import ValidationFailed
from ..knowledge_access import knowledge_base
from ..timeutil import as_istanbul, utcnow
from . import schedule
from .models import ACTIVE, Appointment, Office
from .offices import holidays_for

MAX_DAYS = 31
BOOKING_HORIZON_DAYS = 90
MIN_NOTICE = timedelta(hours=1)


def bookable_service(slug) -> str:
    """The slug if it names a bookable service of the knowledge base, else a field error."""
    svc = knowledge_base().service(str(slug or "")) if isinstance(slug, str) else None
    if svc is None or not svc.bookable:
        raise ValidationFailed(fields={"service": _("Choose a service that can be booked")})
    return svc.slug


def bookable_services() -> list:
    return [svc for svc in knowledge_base().services.values() if svc.bookable]


def booked_counts(office_code: int, first: datetime, last: datetime) -> dict[datetime, int]:
    rows = db.session().execute(
        select(Appointment.start_at, func.count()).where(
            Appointment.office_code == office_code, Appointment.status == ACTIVE,
            Appointment.start_at >= first, Appointment.start_at <= last,
        ).group_by(Appointment.start_at))
    return {start: count for start, count in rows}


def free_slots(office: Office, first: date, last: date) -> list[dict]:
    """Every future slot start between two Istanbul dates with its free places (0 = full)."""
    today = as_istanbul(utcnow()).date()
    first = max(first, today)
    last = min(last, today + timedelta(days=BOOKING_HORIZON_DAYS))
    if last < first:
        return []
    holidays = holidays_for(office.code, first, last)
    weekdays_closed = schedule.closed_weekdays(office.closed_weekdays)
    hours = schedule.parse_hours(office.hours)
    earliest = utcnow() + MIN_NOTICE
    starts = [s for day in schedule.days_between(first, last)
              if schedule.is_open(day, weekdays_closed, holidays)
              for s in schedule.day_slots(day, hours, office.slot_minutes) if s >= earliest]
    if not starts:
        return []
    counts = booked_counts(office.code, starts[0], starts[-1])
    length = timedelta(minutes=office.slot_minutes)
    return [{"start": s, "end": s + length, "available": max(0, office.counters - counts.get(s, 0))}
            for s in starts]


def check_date_range(first, last) -> tuple[date, date]:
    if first is None:
        first = as_istanbul(utcnow()).date()
    if last is None:
        last = first + timedelta(days=13) if first < date(9999, 1, 1) else first
    if last < first or (last - first).days >= MAX_DAYS:
        raise ValidationFailed(fields={"to": _("Choose a date range of up to 31 days")})
    return first, last


def check_start(office: Office, start: datetime) -> datetime:
    """`start` (naive UTC) must be a future slot of the office on an open day."""
    if not utcnow() + MIN_NOTICE <= start <= utcnow() + timedelta(days=BOOKING_HORIZON_DAYS + 1):
        raise ValidationFailed(fields={"start": _("Choose one of the available times")})
    day = as_istanbul(start).date()
    holidays = holidays_for(office.code, day, day)
    ok = (schedule.is_open(day, schedule.closed_weekdays(office.closed_weekdays), holidays)
          and start in schedule.day_slots(day, schedule.parse_hours(office.hours), office.slot_minutes)
          and utcnow() + MIN_NOTICE <= start <= utcnow() + timedelta(days=BOOKING_HORIZON_DAYS + 1))
    if not ok:
        raise ValidationFailed(fields={"start": _("Choose one of the available times")})
    return start
