"""Appointments of an office (day list, upcoming days, search, attendance) and cases (find, open,
timeline, status) for agents. The logic is in portal/appointments/operations.py and
portal/cases/operations.py; these routes only parse forms and render.

Names, references and case numbers never appear in URLs (they would land in access logs): searches
are form posts, and a case page is addressed by the case's internal id.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..api.present import service_title
from ..appointments import operations as appt_ops
from ..appointments.offices import get_office, list_offices
from ..db import session as db_session
from ..errors import DomainError, NotFound, ValidationFailed
from ..timeutil import as_istanbul, utcnow
from .guard import console_blueprint

bp = console_blueprint("staff_office", __name__, "/staff", role="agent")
OFFICE_KEY = "staff_office"
SEARCH_BACK_DAYS, SEARCH_AHEAD_DAYS = 7, 30
UPCOMING_DAYS = 7
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


TURKISH_ORDER = {ch: i for i, ch in enumerate("abcçdefgğhıijklmnoöprsştuüvyz")}


def offices_in_turkish_order() -> list:
    """The offices for a select, sorted as a Turkish reader expects (Ağrı after Afyonkarahisar)."""
    def key(office):
        name = office.province.replace("I", "ı").replace("İ", "i").lower()
        return [TURKISH_ORDER.get(ch, 100 + ord(ch)) for ch in name]
    return sorted(list_offices(), key=key)


def istanbul_today() -> date:
    return as_istanbul(utcnow()).date()


def appointment_status_label(status: str) -> str:
    labels = {"booked": _("Booked"), "cancelled": _("Cancelled"), "attended": _("Attended"),
              "no_show": _("No-show")}
    return labels.get(status, status)


def _parse_day(text: str | None) -> date:
    if not text:
        return istanbul_today()
    try:
        day = date.fromisoformat(str(text)[:10])
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationFailed(fields={"day": _("Enter a date like 2026-03-31")})
    return day


def _chosen_office(value) -> int | None:
    """The office asked for, else the one remembered in the session (None: none chosen yet)."""
    value = value or session.get(OFFICE_KEY)
    if not value:
        return None
    code = get_office(value).code          # NotFound for an unknown office
    session[OFFICE_KEY] = code
    return code


def _error_fields(err: DomainError, default_field: str) -> dict:
    """A translated message for each field of a domain error (never an empty summary)."""
    if err.fields:
        return dict(err.fields)
    if isinstance(err, NotFound):
        return {default_field: err.message or _("We could not find this. Check it and try again.")}
    return {default_field: err.message or _("This could not be done. Check the details and try again.")}


def _rows(appointments) -> list[dict]:
    lang = g.lang
    return [{"reference": a.reference, "time": as_istanbul(a.start_at).strftime("%H:%M"),
             "day": as_istanbul(a.start_at).date(), "service": service_title(a.service_slug, lang),
             "name": a.full_name or "", "status": a.status, "status_label": appointment_status_label(a.status)}
            for a in appointments]


def _appointments_page(office_code=None, day_text=None, search: str | None = None, errors=None,
                       status: int = 200):
    errors = dict(errors or {})
    today, day, office, rows, results, upcoming = istanbul_today(), istanbul_today(), None, [], None, []
    try:
        day = _parse_day(day_text)
        code = _chosen_office(office_code)
        if code is not None:
            office = get_office(code)
            upcoming = appt_ops.upcoming_days(code, today, UPCOMING_DAYS)
            rows = _rows(appt_ops.list_for_office_day(code, day))
    except DomainError as err:
        db_session().rollback()
        errors.update({"office": _("Choose an office")} if isinstance(err, NotFound) else _error_fields(err, "day"))
        status = max(status, err.status)
    if search is not None and office is None and not errors:
        errors["office"], status = _("Choose an office"), 422
    if search is not None and office is not None and not errors:
        try:
            results = _rows(appt_ops.search_appointments(
                office.code, day - timedelta(days=SEARCH_BACK_DAYS), day + timedelta(days=SEARCH_AHEAD_DAYS), search))
        except DomainError as err:
            errors.update(_error_fields(err, "q"))
            status = max(status, err.status)
    return render_template(
        "staff/office/appointments.html", offices=offices_in_turkish_order(), office=office, day=day, today=today,
        day_text=day_text if errors.get("day") else day.isoformat(), rows=rows, results=results,
        upcoming=upcoming, search=search or "", errors=errors, error_title=bool(errors),
        search_first=day - timedelta(days=SEARCH_BACK_DAYS), search_last=day + timedelta(days=SEARCH_AHEAD_DAYS),
        done=request.args.get("done", "")), status


@bp.get("/appointments")
def appointments():
    """One office's appointments of one day (default today, Istanbul time) and its next open days."""
    return _appointments_page(request.args.get("office"), request.args.get("day"))


@bp.post("/appointments/search")
def search_appointments():
    """Find appointments by reference or part of a name (a form post: names stay out of URLs)."""
    return _appointments_page(request.form.get("office"), request.form.get("day"),
                              search=(request.form.get("q") or "")[:80])


@bp.post("/appointments/attendance")
def attendance():
    """Mark an appointment attended or no-show, then back to the day list (303)."""
    office, day = request.form.get("office"), request.form.get("day")
    try:
        appt = appt_ops.mark_attendance((request.form.get("reference") or "")[:40], request.form.get("status"))
    except DomainError as err:
        db_session().rollback()
        if isinstance(err, NotFound):
            err = NotFound(_("We could not find an appointment with this reference."))
        message = next(iter(_error_fields(err, "q").values()))
        return _appointments_page(office, day, errors={"q": message}, status=err.status)
    return redirect(url_for("staff_office.appointments", office=appt.office_code,
                            day=as_istanbul(appt.start_at).date().isoformat(), done=appt.status), 303)


from . import office_cases  # noqa: E402,F401  (the case routes of this blueprint)
