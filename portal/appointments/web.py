"""What the booking pages need beyond the operations: step choices, display values, the .ics file."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_date, format_time

from ..collation import collated
from ..guides.operations import service_title
from ..knowledge_access import knowledge_base
from ..timeutil import as_istanbul, utcnow
from .slots import free_slots

DAYS_SHOWN = 21


def service_choices(lang: str) -> list[tuple[str, str]]:
    """(slug, title) of bookable services, titled in `lang` (Turkish title when not translated)."""
    out = [(svc.slug, service_title(svc.slug, lang)) for svc in knowledge_base().services.values() if svc.bookable]
    return collated(out, lang, key=lambda item: item[1])


def service_documents(slug: str, lang: str) -> list[str]:
    svc = knowledge_base().service(slug)
    text = svc.text(lang) if svc else None
    return list(text.documents) if text else []


def day_choices(office) -> list[tuple[date, int]]:
    """Open days of the next three weeks with their free places (days without a free place left out)."""
    first = as_istanbul(utcnow()).date()
    by_day: dict[date, int] = {}
    for slot in free_slots(office, first, first + timedelta(days=DAYS_SHOWN)):
        day = as_istanbul(slot["start"]).date()
        by_day[day] = by_day.get(day, 0) + slot["available"]
    return [(day, free) for day, free in sorted(by_day.items()) if free > 0]


def time_choices(office, day: date) -> list[dict]:
    return [s for s in free_slots(office, day, day) if s["available"] > 0]


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def parse_start(text: str | None) -> datetime | None:
    """'2026-12-01T05:30' (UTC, as written by the time step) -> naive UTC datetime."""
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return value.replace(tzinfo=None) if value.tzinfo is None else None


def start_param(start: datetime) -> str:
    return start.strftime("%Y-%m-%dT%H:%M")


def when_text(start: datetime) -> dict:
    """Date and time in the page locale, in Istanbul time."""
    local = as_istanbul(start)
    return {"date": format_date(local.date(), format="full"),
            "time": format_time(local, format="short", rebase=False)}


def ics(appt, office, title: str) -> str:
    """An iCalendar file for the appointment (no personal data besides the reference)."""
    def stamp(value: datetime) -> str:
        return value.strftime("%Y%m%dT%H%M%SZ")
    end = appt.start_at + timedelta(minutes=office.slot_minutes)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//goc-portal//booking//EN", "CALSCALE:GREGORIAN",
             "BEGIN:VEVENT", f"UID:{appt.reference}@goc-portal", f"DTSTAMP:{stamp(utcnow())}",
             f"DTSTART:{stamp(appt.start_at)}", f"DTEND:{stamp(end)}",
             f"SUMMARY:{_ics_escape(title)} ({appt.reference})", f"LOCATION:{_ics_escape(office.name)}",
             "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
