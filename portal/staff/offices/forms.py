"""Reading the office pages' forms, and turning domain errors into the GOV.UK error summary's fields."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ...errors import DomainError, NotFound, ValidationFailed
from .operations import istanbul_today

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
NEW_CASE_FIELDS = ("service", "name", "phone", "email", "office", "lang", "public_note")
CASE_EVENT_FIELDS = ("status", "public_note", "staff_note")


def parse_day(text: str | None) -> date:
    """A day from the form (today, Istanbul time, when empty); ValidationFailed (field `day`) otherwise."""
    if not text:
        return istanbul_today()
    try:
        day = date.fromisoformat(str(text)[:10])
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationFailed(fields={"day": _("Enter a date like 2026-03-31")})
    return day


def field_errors(err: DomainError, default_field: str) -> dict:
    """A translated message for each field of a domain error (never an empty summary)."""
    if err.fields:
        return dict(err.fields)
    if isinstance(err, NotFound):
        return {default_field: err.message or _("We could not find this. Check it and try again.")}
    return {default_field: err.message or _("This could not be done. Check the details and try again.")}


def new_case_form(form) -> dict:
    """The new-case form's fields, trimmed."""
    return {key: (form.get(key) or "").strip()[:2000] for key in NEW_CASE_FIELDS}


def case_event_form(form) -> dict:
    """The case page's status / note form."""
    return {key: (form.get(key) or "")[:4000] for key in CASE_EVENT_FIELDS}
