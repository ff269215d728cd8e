"""Staff API (bearer token or staff session, role checks): day lists, attendance, cases."""
from __future__ import annotations

from ..appointments import operations as appt_ops
from ..appointments.offices import get_office
from ..cases import operations as case_ops
from ..i18n import current_lang
from ..staff.auth import current_staff, require_role
from . import present
from .schemas import (AppointmentSchema, AttendanceSchema, CaseCreatedSchema, CaseCreateSchema,
                      CaseEventCreateSchema, ErrorSchema, StaffAppointmentListSchema, StaffCaseSchema,
                      StaffDayQuerySchema)
from .v1 import api_blueprint

blp = api_blueprint("staff_api", __name__, "Staff endpoints: need a bearer token and a role.")
SECURITY = [{"bearerAuth": []}]


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
    appt = appt_ops.mark_attendance(reference, body["status"])
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
