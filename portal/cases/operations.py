"""Cases: staff create them and add timeline events; applicants read the public timeline."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..appointments import codes
from ..appointments.offices import get_office
from ..appointments.validation import clean_email, clean_lang, clean_name, clean_phone
from ..audit import record, record_now
from ..config import secret_keys
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..inputs import clean_free_text
from ..knowledge_access import knowledge_base
from ..timeutil import utcnow
from .models import DECISION_STATUSES, STATUSES, Case, CaseEvent, CaseStaffNote

MAX_NOTE = 2000


@dataclass
class NewCase:
    case: Case
    access_code: str


def _not_found() -> NotFound:
    return NotFound(_("We could not find a case with this number and access code. Check both and try again."))


def create_case(data: dict, staff) -> NewCase:
    """Staff: register a case for an applicant; returns the case and its access code (shown once)."""
    fields: dict[str, str] = {}
    clean: dict = {}
    svc = knowledge_base().service(data.get("service")) if isinstance(data.get("service"), str) else None
    if svc is None:
        fields["service"] = _("Choose a service")
    for key, cleaner in (("name", clean_name), ("phone", clean_phone), ("email", clean_email)):
        clean[key], error = cleaner(data.get(key))
        if error:
            fields[key] = error
    office_code = data.get("office")
    if office_code is not None:
        try:
            office_code = get_office(office_code).code
        except NotFound:
            fields["office"] = _("Choose an office")
    if fields:
        raise ValidationFailed(fields=fields)
    code = codes.new_access_code()
    access_hash = codes.hash_code(code, current_app.config["SECRET_KEY"])
    year = utcnow().year
    for _attempt in range(5):
        sess = db.begin_write()
        case = Case(number=codes.new_case_number(year), service_slug=svc.slug, office_code=office_code,
                    status="registered", full_name=clean["name"], phone=clean["phone"], email=clean["email"],
                    lang=clean_lang(data.get("lang"), "tr"), access_hash=access_hash)
        try:
            with sess.begin_nested():
                sess.add(case)
        except IntegrityError:
            sess.rollback()
            continue
        sess.add(CaseEvent(case_id=case.id, status="registered", public_note=str(data.get("public_note") or "")[:MAX_NOTE],
                           author_id=staff.id))
        record("case.create", "case", case.number, sess=sess)
        sess.commit()
        return NewCase(case, code)
    raise ValidationFailed()


def verify_case_access(number: str, access_code: str) -> Case:
    """The case if number and code match (constant time, one error for both failures); audited."""
    ref = codes.normalise_reference(number)
    case = db.session().scalar(select(Case).where(Case.number == ref)) if ref else None
    usable = case is not None and case.purged_at is None
    if not codes.verify_code(case.access_hash if usable else None, access_code, secret_keys(current_app.config)):
        record_now("case.lookup", "case", ref[:20], outcome="failed")
        raise _not_found()
    record_now("case.lookup", "case", ref)
    return case


def public_timeline(case: Case) -> list[CaseEvent]:
    """The events an applicant may see (never staff notes)."""
    return list(db.session().scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                     .order_by(CaseEvent.at, CaseEvent.id)))


def get_case_for_staff(number: str) -> tuple[Case, list[CaseEvent], list[CaseStaffNote]]:
    """Staff: the full case with its staff notes (audited read of personal data)."""
    case = db.session().scalar(select(Case).where(Case.number == codes.normalise_reference(number)))
    if case is None:
        raise NotFound()
    notes = list(db.session().scalars(select(CaseStaffNote).where(CaseStaffNote.case_id == case.id)
                                      .order_by(CaseStaffNote.at, CaseStaffNote.id)))
    record_now("case.read", "case", case.number)
    return case, public_timeline(case), notes


def add_case_event(number: str, data: dict, staff) -> Case:
    """Staff: add a timeline event (optionally changing the status) and/or a staff-only note."""
    status = data.get("status")
    public_note, staff_note = (data.get(k) or "" for k in ("public_note", "staff_note"))
    public_note, staff_note = (clean_free_text(n) if isinstance(n, str) else n for n in (public_note, staff_note))
    fields = {}
    if status is not None and status not in STATUSES:
        fields["status"] = _("Choose a valid status")
    if not isinstance(public_note, str) or len(public_note) > MAX_NOTE:
        fields["public_note"] = _("The note must be 2000 characters or fewer")
    if not isinstance(staff_note, str) or len(staff_note) > MAX_NOTE:
        fields["staff_note"] = _("The note must be 2000 characters or fewer")
    if not fields and not (status or public_note.strip() or staff_note.strip()):
        fields["public_note"] = _("Enter a note or choose a status")
    if fields:
        raise ValidationFailed(fields=fields)
    if status in DECISION_STATUSES and not staff.has_role("supervisor"):
        record_now("case.status", "case", str(number)[:20], outcome="denied")
        raise PermissionDenied()
    sess = db.begin_write()
    case = sess.scalar(select(Case).where(Case.number == codes.normalise_reference(number)))
    if case is None or case.purged_at is not None:
        raise NotFound()
    if status or public_note.strip():
        case.status = status or case.status
        sess.add(CaseEvent(case_id=case.id, status=case.status, public_note=public_note.strip(),
                           author_id=staff.id))
    if staff_note.strip():
        sess.add(CaseStaffNote(case_id=case.id, author_id=staff.id, text=staff_note.strip()))
    case.updated_at = utcnow()
    record("case.update", "case", case.number, sess=sess)
    sess.commit()
    return case


def get_case_by_number(number: str) -> Case | None:
    """A case by number (for a browser that already proved access), None when gone or purged."""
    case = db.session().scalar(select(Case).where(Case.number == number))
    return case if case is not None and case.purged_at is None else None


def case_number_for_id(case_id: int) -> str:
    """Staff pages address a case by its id (no case number in URLs or access logs)."""
    case = db.session().get(Case, case_id) if 0 < case_id < 2**31 else None
    if case is None or case.purged_at is not None:
        raise NotFound(_("There is no case with this number."))
    return case.number


def find_case_id(number: str) -> int:
    """Staff: the id of a case by its number (any spacing or case), or NotFound."""
    case = get_case_by_number(codes.normalise_reference(str(number or "")[:40]))
    if case is None:
        raise NotFound(_("There is no case with this number."))
    return case.id
