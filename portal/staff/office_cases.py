"""Case routes of the staff_office blueprint: find a case, open one, its page (status, timeline,
staff notes), add a timeline event or change the status. The case operations audit every read and
change ("case.read", "case.create", "case.update")."""
from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..api.present import case_status_label, service_title
from ..appointments.offices import get_office
from ..appointments.validation import display_phone
from ..cases import operations as case_ops
from ..cases.models import DECISION_STATUSES, STATUSES
from ..db import session as db_session
from ..errors import DomainError, NotFound, PermissionDenied
from ..i18n import LANGUAGES
from ..knowledge_access import knowledge
from ..timeutil import as_istanbul
from .auth import check_role
from .models import StaffUser
from .office import _error_fields, bp, offices_in_turkish_order

NEW_CASE_FIELDS = ("service", "name", "phone", "email", "office", "lang", "public_note")


def _services() -> list[tuple[str, str]]:
    rows = [(slug, service_title(slug, g.lang)) for slug in knowledge().services]
    return sorted(rows, key=lambda r: r[1].casefold())


def _cases_page(errors=None, form=None, status: int = 200, created=None):
    errors = dict(errors or {})
    return render_template("staff/office/cases.html", errors=errors, error_title=bool(errors), form=form or {},
                           services=_services(), offices=offices_in_turkish_order(), langs=LANGUAGES,
                           created=created), status


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
    form = {key: (request.form.get(key) or "").strip()[:2000] for key in NEW_CASE_FIELDS}
    data = dict(form, office=form["office"] or None)
    try:
        created = case_ops.create_case(data, check_role("agent"))
    except DomainError as err:
        db_session().rollback()
        return _cases_page(_error_fields(err, "service"), form, err.status)
    return _cases_page(status=201, created={"id": created.case.id, "number": created.case.number,
                                            "access_code": created.access_code})


def _authors(ids) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db_session().execute(select(StaffUser.id, StaffUser.full_name).where(StaffUser.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def _case_page(case_id: int, errors=None, form=None, status: int = 200):
    number = case_ops.case_number_for_id(case_id)
    case, events, notes = case_ops.get_case_for_staff(number)
    authors = _authors([e.author_id for e in events] + [n.author_id for n in notes])
    office = get_office(case.office_code) if case.office_code else None
    user = check_role("agent")
    statuses = [(s, case_status_label(s)) for s in STATUSES
                if s == case.status or s not in DECISION_STATUSES or user.has_role("supervisor")]
    errors = dict(errors or {})
    return render_template(
        "staff/office/case.html", case=case, events=events, notes=notes, authors=authors, office=office,
        phone=display_phone(case.phone), service=service_title(case.service_slug, g.lang),
        status_label=case_status_label, statuses=statuses, langs=LANGUAGES, errors=errors,
        error_title=bool(errors), form=form or {}, saved=request.args.get("saved") == "1",
        local=lambda at: as_istanbul(at).strftime("%Y-%m-%d %H:%M")), status


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
    try:
        number = case_ops.case_number_for_id(case_id)
    except NotFound as err:
        return _cases_page({"number": err.message}, status=404)
    form = {key: (request.form.get(key) or "")[:4000] for key in ("status", "public_note", "staff_note")}
    current = case_ops.get_case_by_number(number)
    data = dict(form, status=form["status"] if form["status"] and form["status"] != current.status else None)
    try:
        case_ops.add_case_event(number, data, check_role("agent"))
    except DomainError as err:
        db_session().rollback()
        if isinstance(err, PermissionDenied):
            err = PermissionDenied(_("Only a supervisor can set this status."))
        fields = _error_fields(err, "status")
        return _case_page(case_id, fields, form, err.status)
    return redirect(url_for("staff_office.case", case_id=case_id, saved=1), 303)
