"""Office pages for agents: appointments of an office (day list, upcoming days, search, attendance)
and cases (find, open, page with timeline and staff notes, status). Routes parse forms, call one
operation (offices/operations.py) and render.

Names, references and case numbers never appear in URLs (they would land in access logs): searches
are form posts, and a case page is addressed by the case's internal id.
"""
from __future__ import annotations

from datetime import timedelta

from flask import g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ...appointments import operations as appt_ops
from ...appointments.offices import get_office
from ...appointments.validation import display_phone
from ...appointments.labels import status_label
from ...cases import operations as case_ops
from ...cases.labels import case_status_label
from ...collation import collated, languages_in_order
from ...db import session as db_session
from ...errors import DomainError, NotFound, PermissionDenied
from ...guides.operations import service_title
from ...i18n import LANGUAGES
from ...knowledge_access import knowledge_base
from ...timeutil import as_istanbul
from ..auth.access import check_role
from ..guard import console_blueprint
from .forms import case_event_form, field_errors, new_case_form, parse_day
from .operations import (case_for_staff, istanbul_today, office_day, offices_in_turkish_order, open_case,
                         record_attendance, update_case)

bp = console_blueprint("staff_office", __name__, "/staff", role="agent")
OFFICE_KEY = "staff_office"
SEARCH_BACK_DAYS, SEARCH_AHEAD_DAYS = 7, 30


# -- appointments ----------------------------------------------------------------------------------
def _chosen_office(value) -> int | None:
    """The office asked for, else the one remembered in the session (None: none chosen yet)."""
    value = value or session.get(OFFICE_KEY)
    if not value:
        return None
    code = get_office(value).code          # NotFound for an unknown office
    session[OFFICE_KEY] = code
    return code


def _rows(appointments) -> list[dict]:
    lang = g.lang
    return [{"reference": a.reference, "time": as_istanbul(a.start_at).strftime("%H:%M"),
             "day": as_istanbul(a.start_at).date(), "service": service_title(a.service_slug, lang),
             "name": a.full_name or "", "status": a.status, "status_label": status_label(a.status)}
            for a in appointments]


def _appointments_page(office_code=None, day_text=None, search: str | None = None, errors=None,
                       status: int = 200):
    errors = dict(errors or {})
    today, day, office, rows, results, upcoming = istanbul_today(), istanbul_today(), None, [], None, []
    try:
        day = parse_day(day_text)
        code = _chosen_office(office_code)
        if code is not None:
            view = office_day(check_role("agent"), code, day)
            office, upcoming, rows = view.office, view.upcoming, _rows(view.appointments)
    except DomainError as err:
        db_session().rollback()
        errors.update({"office": _("Choose an office")} if isinstance(err, NotFound) else field_errors(err, "day"))
        status = max(status, err.status)
    if search is not None and office is None and not errors:
        errors["office"], status = _("Choose an office"), 422
    if search is not None and office is not None and not errors:
        try:
            results = _rows(appt_ops.search_appointments(
                office.code, day - timedelta(days=SEARCH_BACK_DAYS), day + timedelta(days=SEARCH_AHEAD_DAYS), search))
        except DomainError as err:
            errors.update(field_errors(err, "q"))
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
        appt = record_attendance(check_role("agent"), (request.form.get("reference") or "")[:40],
                                 request.form.get("status"))
    except DomainError as err:
        if isinstance(err, NotFound):
            err = NotFound(_("We could not find an appointment with this reference."))
        message = next(iter(field_errors(err, "q").values()))
        return _appointments_page(office, day, errors={"q": message}, status=err.status)
    return redirect(url_for("staff_office.appointments", office=appt.office_code,
                            day=as_istanbul(appt.start_at).date().isoformat(), done=appt.status), 303)


# -- cases -----------------------------------------------------------------------------------------
def _services() -> list[tuple[str, str]]:
    rows = [(slug, service_title(slug, g.lang)) for slug in knowledge_base().services]
    return collated(rows, g.lang, key=lambda r: r[1])


def _cases_page(errors=None, form=None, status: int = 200, created=None):
    errors = dict(errors or {})
    return render_template("staff/office/cases.html", errors=errors, error_title=bool(errors), form=form or {},
                           services=_services(), offices=offices_in_turkish_order(),
                           langs={code: (name, d) for code, name, d in languages_in_order(g.lang)},
                           created=created), status


def _case_page(case_id: int, errors=None, form=None, status: int = 200):
    view = case_for_staff(check_role("agent"), case_id)
    case = view.case
    errors = dict(errors or {})
    return render_template(
        "staff/office/case.html", case=case, events=view.events, notes=view.notes, authors=view.authors,
        office=view.office, phone=display_phone(case.phone), service=service_title(case.service_slug, g.lang),
        status_label=case_status_label, statuses=[(s, case_status_label(s)) for s in view.statuses],
        langs=LANGUAGES, errors=errors, error_title=bool(errors), form=form or {},
        saved=request.args.get("saved") == "1",
        local=lambda at: as_istanbul(at).strftime("%Y-%m-%d %H:%M")), status


@bp.get("/cases")
def cases():
    """Find a case by number, or open a new one."""
    return _cases_page()


@bp.post("/cases/find")
def find_case():
    """Go to a case by its number (303 to its page; the number stays out of the URL)."""
    number = (request.form.get("number") or "").strip()[:40]
    if not number:
        return _cases_page({"number": _("Enter a case number")}, {"number": number}, 422)
    try:
        case_id = case_ops.find_case_id(number)
    except NotFound as err:
        return _cases_page({"number": err.message}, {"number": number}, 404)
    return redirect(url_for("staff_office.case", case_id=case_id), 303)


@bp.post("/cases/new")
def new_case():
    """Register a case; the page shows the case number and the access code once (not a redirect,
    so the code is never stored anywhere)."""
    form = new_case_form(request.form)
    try:
        created = open_case(check_role("agent"), dict(form, office=form["office"] or None))
    except DomainError as err:
        return _cases_page(field_errors(err, "service"), form, err.status)
    return _cases_page(status=201, created={"id": created.case.id, "number": created.case.number,
                                            "access_code": created.access_code})


@bp.get("/cases/<int:case_id>")
def case(case_id: int):
    """A case with personal data, its public timeline and the staff notes (audited: case.read)."""
    try:
        return _case_page(case_id)
    except NotFound as err:
        return _cases_page({"number": err.message or _("There is no case with this number.")}, status=404)


@bp.post("/cases/<int:case_id>/events")
def add_event(case_id: int):
    """Add a timeline event, change the status and/or add a staff note, then back to the case (303)."""
    form = case_event_form(request.form)
    try:
        update_case(check_role("agent"), case_id, form)
    except NotFound as err:
        return _cases_page({"number": err.message or _("There is no case with this number.")}, status=404)
    except DomainError as err:
        if isinstance(err, PermissionDenied):
            err = PermissionDenied(_("Only a supervisor can set this status."))
        return _case_page(case_id, field_errors(err, "status"), form, err.status)
    return redirect(url_for("staff_office.case", case_id=case_id, saved=1), 303)
