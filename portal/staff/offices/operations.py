"""What the office pages do: list offices and a day's appointments, record attendance, open, read
and update cases. The appointment and case logic is in portal/appointments and portal/cases (they
audit every read and change of personal data); these operations add the staff role check and undo
the request's pending changes when one is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...appointments import operations as appt_ops
from ...appointments.offices import get_office, list_offices
from ...cases import operations as case_ops
from ...cases.models import DECISION_STATUSES, STATUSES
from ...db import session
from ...errors import DomainError
from ...timeutil import as_istanbul, utcnow
from ..auth.access import ensure_role
from ..auth.models import StaffUser
from ..auth.operations import staff_users

UPCOMING_DAYS = 7


def istanbul_today() -> date:
    return as_istanbul(utcnow()).date()


def offices_in_turkish_order() -> list:
    """The offices for a select, sorted as a Turkish reader expects (Ağrı after Afyonkarahisar)."""
    return list_offices()      # ICU Turkish collation (portal.collation)


@dataclass
class OfficeDay:
    office: object
    appointments: list
    upcoming: list = field(default_factory=list)    # (day, booked) of the next open days


def office_day(user: StaffUser, office_code, day: date) -> OfficeDay:
    """One office's appointments of one Istanbul day (audited) and its next open days from today."""
    ensure_role(user, "agent")
    office = get_office(office_code)
    upcoming = appt_ops.upcoming_days(office.code, istanbul_today(), UPCOMING_DAYS)
    return OfficeDay(office, appt_ops.list_for_office_day(office.code, day), upcoming)


def _undo_on_refusal(change):
    try:
        return change()
    except DomainError:
        session().rollback()
        raise


def record_attendance(user: StaffUser, reference: str, status: str):
    """Mark an appointment attended or no-show (agent or higher; audited by the appointment operation)."""
    ensure_role(user, "agent")
    return _undo_on_refusal(lambda: appt_ops.mark_attendance(reference, status))


def open_case(user: StaffUser, data: dict):
    """Register a case (agent or higher); returns the case and its access code, shown once."""
    ensure_role(user, "agent")
    return _undo_on_refusal(lambda: case_ops.create_case(data, user))


@dataclass
class CaseView:
    case: object
    events: list
    notes: list
    authors: dict[int, str]          # staff user id -> full name
    office: object | None
    statuses: list[str]              # the statuses this user may choose


def case_for_staff(user: StaffUser, case_id: int) -> CaseView:
    """A case with personal data, its public timeline and the staff notes (audited: case.read).
    Decision statuses are offered to supervisors only (the case operation enforces it)."""
    ensure_role(user, "agent")
    case, events, notes = case_ops.get_case_for_staff(case_ops.case_number_for_id(case_id))
    users = staff_users([e.author_id for e in events] + [n.author_id for n in notes])
    office = get_office(case.office_code) if case.office_code else None
    statuses = [s for s in STATUSES
                if s == case.status or s not in DECISION_STATUSES or user.has_role("supervisor")]
    return CaseView(case, events, notes, {i: u.full_name for i, u in users.items()}, office, statuses)


def update_case(user: StaffUser, case_id: int, form: dict):
    """Add a timeline event, change the status (decisions: supervisors) and/or add a staff note.
    Choosing the current status again is not a change."""
    ensure_role(user, "agent")
    number = case_ops.case_number_for_id(case_id)
    current = case_ops.get_case_by_number(number)
    status = form.get("status") or None
    data = dict(form, status=status if status and status != current.status else None)
    return _undo_on_refusal(lambda: case_ops.add_case_event(number, data, user))
