"""Staff API (bearer token or staff session, role checks): day lists, attendance, cases, and the
console's own calls (suggested answers, the handover inbox). Never cached (api_blueprint)."""
from __future__ import annotations

import functools

from flask import g

from ..appointments import operations as appt_ops
from ..appointments.offices import get_office
from ..cases import operations as case_ops
from ..i18n import current_lang, is_language
from ..staff.auth.access import current_staff, require_role
from ..staff.guard import console_language
from ..staff.inbox.operations import list_handoffs, poll_conversation
from ..staff.offices.operations import record_attendance
from ..staff.suggest.operations import suggest_answers
from . import present
from .base import api_blueprint
from .schemas import (AppointmentSchema, AttendanceSchema, CaseCreatedSchema, CaseCreateSchema,
                      CaseEventCreateSchema, ErrorSchema, HandoffListSchema, HandoffPollQuerySchema,
                      HandoffTranscriptSchema, StaffAppointmentListSchema, StaffCaseSchema, StaffDayQuerySchema,
                      StaffSuggestionsSchema, StaffSuggestQuerySchema)

blp = api_blueprint("staff_api", __name__, "Staff endpoints: need a bearer token (or the console's session) and a role.")
SECURITY = [{"bearerAuth": []}]


def _console_messages(view):
    """Texts in the console's language (as on its pages: the session's choice, then the language
    cookie, then Turkish) unless ?lang= chose one."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not is_language(g.get("lang")):
            g.lang = console_language()
        return view(*args, **kwargs)
    return wrapper


def _staff_doc(*codes: int):
    def decorator(fn):
        fn = blp.doc(security=SECURITY)(fn)
        for code in (401, 403, *codes):
            fn = blp.alt_response(code, schema=ErrorSchema, description="error")(fn)
        return fn
    return decorator


@blp.route("/staff/appointments", methods=["GET"])
@require_role("agent")
@blp.arguments(StaffDayQuerySchema, location="query")
@blp.response(200, StaffAppointmentListSchema)
@_staff_doc(404, 422)
def day_list(args):
    """Appointments of one office on one day (agent or higher)."""
    office = get_office(args["office"])
    rows = appt_ops.list_for_office_day(office.code, args["day"])
    return {"appointments": [present.appointment_json(a, office, current_lang(), staff=True) for a in rows]}


@blp.route("/staff/appointments/<reference>/attendance", methods=["POST"])
@require_role("agent")
@blp.arguments(AttendanceSchema)
@blp.response(200, AppointmentSchema)
@_staff_doc(404, 409, 422)
def attendance(body, reference: str):
    """Mark an appointment attended or no-show (agent or higher)."""
    appt = record_attendance(current_staff(), reference, body["status"])
    return present.appointment_json(appt, get_office(appt.office_code), current_lang())


@blp.route("/staff/cases", methods=["POST"])
@require_role("agent")
@blp.arguments(CaseCreateSchema)
@blp.response(201, CaseCreatedSchema)
@_staff_doc(422)
def create_case(body):
    """Register a case; the access code is returned once, to give to the applicant (agent or higher)."""
    staff = current_staff()
    new = case_ops.create_case(body, staff)
    return {"number": new.case.number, "access_code": new.access_code}


@blp.route("/staff/cases/<number>", methods=["GET"])
@require_role("agent")
@blp.response(200, StaffCaseSchema)
@_staff_doc(404)
def get_case(number: str):
    """A case with personal data and staff notes (agent or higher; audited)."""
    case, events, notes = case_ops.get_case_for_staff(number)
    return present.staff_case_json(case, events, notes, current_lang())


@blp.route("/staff/cases/<number>/events", methods=["POST"])
@require_role("agent")
@blp.arguments(CaseEventCreateSchema)
@blp.response(201, StaffCaseSchema)
@_staff_doc(404, 422)
def add_event(body, number: str):
    """Add a timeline event / change the status / add a staff note. Decisions need a supervisor."""
    staff = current_staff()
    case_ops.add_case_event(number, body, staff)
    case, events, notes = case_ops.get_case_for_staff(number)
    return present.staff_case_json(case, events, notes, current_lang())


@blp.route("/staff/suggest", methods=["GET"])
@_console_messages
@require_role("agent")
@blp.arguments(StaffSuggestQuerySchema, location="query")
@blp.response(200, StaffSuggestionsSchema)
@_staff_doc(422, 503)
def suggestions(args):
    """The top 3 services for a caller's question, in the caller's language and Turkish (agent or higher).

    Same ranking and abstention as the search; the closest services are listed also when it abstains.
    An abstention enters the unanswered-questions queue."""
    return suggest_answers(args["q"], args["caller"] or None, args["held"])


@blp.route("/staff/inbox", methods=["GET"])
@_console_messages
@require_role("agent")
@blp.response(200, HandoffListSchema)
@_staff_doc()
def handoffs():
    """Waiting and taken hand-overs, urgent first (agent or higher; no chat text, so not audited)."""
    return {"handoffs": list_handoffs(current_staff())}


@blp.route("/staff/inbox/<int(max=2147483647):handoff_id>/messages", methods=["GET"])
@_console_messages
@require_role("agent")
@blp.arguments(HandoffPollQuerySchema, location="query")
@blp.response(200, HandoffTranscriptSchema)
@_staff_doc(404)
def handoff_messages(args, handoff_id: int):
    """A hand-over's status and its masked transcript after message id `after` (agent or higher;
    audited as "chat.view" when there are new lines)."""
    after = args["after"]
    after = int(after) if after.isascii() and after.isdigit() and len(after) < 19 else 0
    return poll_conversation(current_staff(), handoff_id, after)
