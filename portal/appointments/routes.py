"""Booking pages (service -> office -> date -> time -> details -> check -> confirmation) and
managing an appointment (reference + access code -> view, cancel, reschedule). No JavaScript."""
from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import code_guess_limits, limiter
from ..i18n import current_lang
from ..langbp import lang_blueprint
from ..ratelimit import BOOKING_LIMIT
from ..sessions import keep_on_server
from . import grants, operations, web
from .labels import status_label
from .offices import get_office, list_offices
from .slots import bookable_service, check_start

bp = lang_blueprint("appointments", __name__, template_folder="templates")
DETAILS_KEY = "booking_details"
keep_on_server(DETAILS_KEY)      # name, phone and e-mail between the details and the check step


def _go(endpoint: str, **params):
    return redirect(url_for(endpoint, **params), code=303)


def _render(template: str, errors: dict | None = None, status: int = 200, **context):
    return render_template(template, errors=errors or {}, error_title=bool(errors), **context), (
        422 if errors and status == 200 else status)


def _choice(name: str, check):
    """(value, error) for a GET step: only validated once the step's form was sent."""
    if "submitted" not in request.args:
        return None, None
    try:
        return check(request.args.get(name)), None
    except (ValidationFailed, NotFound):
        return None, True


def _service_or_restart():
    try:
        return bookable_service(request.args.get("service"))
    except ValidationFailed:
        abort(_go("appointments.book"))


def _office_or_back(service: str):
    try:
        return get_office(request.args.get("office"))
    except NotFound:
        abort(_go("appointments.book_office", service=service))


@bp.get("/book")
def book():
    """Step 1: which service."""
    service, error = _choice("service", bookable_service)
    if service:
        return _go("appointments.book_office", service=service)
    errors = {"service": _("Choose the service you need an appointment for")} if error else {}
    return _render("appointments/book_service.html", errors, services=web.service_choices(current_lang()))


@bp.get("/book/office")
def book_office():
    """Step 2: which office."""
    service = _service_or_restart()
    office, error = _choice("office", get_office)
    if office:
        return _go("appointments.book_date", service=service, office=office.code)
    errors = {"office": _("Choose an office")} if error else {}
    return _render("appointments/book_office.html", errors, service=service, offices=list_offices())


@bp.get("/book/date")
def book_date():
    """Step 3: which day (only days with a free place)."""
    service = _service_or_restart()
    office = _office_or_back(service)
    days = web.day_choices(office)
    day, error = _choice("date", lambda v: v if web.parse_day(v) in {d for d, _n in days} else None)
    if day:
        return _go("appointments.book_time", service=service, office=office.code, date=day)
    errors = {"date": _("Choose a day")} if error or ("submitted" in request.args and not day) else {}
    return _render("appointments/book_date.html", errors, service=service, office=office, days=days)


@bp.get("/book/time")
def book_time():
    """Step 4: which time on that day."""
    service = _service_or_restart()
    office = _office_or_back(service)
    day = web.parse_day(request.args.get("date"))
    if day is None:
        return _go("appointments.book_date", service=service, office=office.code)
    slots = web.time_choices(office, day)
    valid = {web.start_param(s["start"]) for s in slots}
    start = request.args.get("start") if request.args.get("start") in valid else None
    if start and "submitted" in request.args:
        return _go("appointments.book_details", service=service, office=office.code, start=start)
    errors = {"start": _("Choose a time")} if "submitted" in request.args else {}
    return _render("appointments/book_time.html", errors, service=service, office=office, day=day,
                   slots=slots, start_param=web.start_param)


def _start_or_none(office):
    """The requested slot start if it is a real future slot of the office (else None)."""
    start = web.parse_start(request.args.get("start"))
    try:
        return check_start(office, start) if start is not None else None
    except ValidationFailed:
        return None


def _details_form() -> dict:
    form = request.form if request.method == "POST" else session.get(DETAILS_KEY, {})
    return {k: str(form.get(k, ""))[:300] for k in ("name", "phone", "email")} | {
        "consent": bool(form.get("consent"))}


@bp.route("/book/details", methods=["GET", "POST"])
def book_details():
    """Step 5: your details and consent to the privacy notice (POST, then 303 to the check page)."""
    service = _service_or_restart()
    office = _office_or_back(service)
    start = _start_or_none(office)
    if start is None:
        return _go("appointments.book_date", service=service, office=office.code)
    form = _details_form()
    errors = {}
    if request.method == "POST":
        try:
            operations.validate_booking({**form, "service": service, "office": office.code, "start": start,
                                         "consent": form["consent"]})
            session[DETAILS_KEY] = form
            return _go("appointments.book_check", service=service, office=office.code,
                       start=web.start_param(start))
        except ValidationFailed as err:
            errors = err.fields
    return _render("appointments/book_details.html", errors, service=service, office=office,
                   start=start, when=web.when_text(start), form=form, start_param=web.start_param)


@bp.route("/book/check", methods=["GET", "POST"])
@limiter.limit(BOOKING_LIMIT, methods=["POST"])
def book_check():
    """Step 6: check your answers, then book (POST, then 303 to the confirmation)."""
    service = _service_or_restart()
    office = _office_or_back(service)
    start = _start_or_none(office)
    form = session.get(DETAILS_KEY)
    if start is None or not form:
        return _go("appointments.book")
    errors = {}
    if request.method == "POST":
        try:
            booking = operations.book_appointment({**form, "service": service, "office": office.code,
                                                   "start": start, "lang": current_lang(),
                                                   "consent": bool(form.get("consent"))})
        except DomainError as err:
            errors = err.fields or {"start": err.message or _("This time is now fully booked. Please choose another time.")}
        else:
            session.pop(DETAILS_KEY, None)
            grants.grant("appointment", booking.appointment.reference, booking.access_code)
            return _go("appointments.book_done")
    titles = dict(web.service_choices(current_lang()))
    return _render("appointments/book_check.html", errors, service=service, service_title=titles.get(service, service),
                   office=office, start=start, when=web.when_text(start), form=form,
                   start_param=web.start_param)


def _granted_appointment():
    data = grants.granted("appointment")
    if not data:
        abort(_go("appointments.manage"))
    try:
        appt = operations.get_by_reference(data["ref"])
    except NotFound:
        grants.revoke("appointment")
        abort(_go("appointments.manage"))
    return appt, data.get("code")


def _view_context(appt) -> dict:
    office = get_office(appt.office_code)
    lang = current_lang()
    return {"appt": appt, "office": office, "when": web.when_text(appt.start_at),
            "service_title": dict(web.service_choices(lang)).get(appt.service_slug, appt.service_slug),
            "documents": web.service_documents(appt.service_slug, lang)}


@bp.get("/book/done")
def book_done():
    """Confirmation: reference, access code (once per session), time, office, what to bring."""
    appt, code = _granted_appointment()
    return render_template("appointments/done.html", code=code, **_view_context(appt))


@bp.route("/appointments/manage", methods=["GET", "POST"])
@code_guess_limits
def manage():
    """Manage an appointment: reference and access code (sent by POST, never in the URL)."""
    errors, form = {}, {"reference": ""}
    if request.method == "POST":
        form["reference"] = request.form.get("reference", "")[:40]
        code = request.form.get("access_code", "")[:40]
        if not form["reference"].strip():
            errors["reference"] = _("Enter your booking reference")
        if not code.strip():
            errors["access_code"] = _("Enter your access code")
        if not errors:
            try:
                appt = operations.verify_access(form["reference"], code)
            except NotFound as err:
                errors["reference"] = err.message
            else:
                grants.grant("appointment", appt.reference)
                return _go("appointments.view")
    return _render("appointments/manage.html", errors, form=form)


@bp.get("/appointments/view")
def view():
    """The appointment the browser has access to, with cancel and reschedule."""
    appt, code = _granted_appointment()
    return render_template("appointments/view.html", code=code, done=request.args.get("done"),
                           **_view_context(appt))


@bp.get("/appointments/print")
def print_view():
    """A printable confirmation."""
    appt, code = _granted_appointment()
    return render_template("appointments/print.html", code=code, **_view_context(appt))


@bp.get("/appointments/calendar.ics")
def calendar():
    """The appointment as an iCalendar file."""
    appt, _code = _granted_appointment()
    ctx = _view_context(appt)
    body = web.ics(appt, ctx["office"], ctx["service_title"])
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{appt.reference}.ics"'})


@bp.route("/appointments/cancel", methods=["GET", "POST"])
def cancel():
    """Are you sure? then cancel (303 back to the appointment)."""
    appt, _code = _granted_appointment()
    errors = {}
    if request.method == "POST":
        try:
            operations.cancel_appointment(appt.reference)
            return _go("appointments.view", done="cancelled")
        except DomainError as err:
            errors = {"confirm": err.message}
    return _render("appointments/cancel.html", errors, **_view_context(appt))


@bp.route("/appointments/reschedule", methods=["GET", "POST"])
def reschedule():
    """Choose another day and time at the same office."""
    appt, _code = _granted_appointment()
    office = get_office(appt.office_code)
    days = web.day_choices(office)
    day = web.parse_day(request.values.get("date"))
    slots = web.time_choices(office, day) if day else []
    errors = {}
    if request.method == "POST":
        start = web.parse_start(request.form.get("start"))
        if start is None:
            errors = {"start": _("Choose a time")}
        else:
            try:
                operations.reschedule_appointment(appt.reference, start)
                return _go("appointments.view", done="moved")
            except DomainError as err:
                errors = err.fields or {"start": err.message}
    return _render("appointments/reschedule.html", errors, days=days, day=day, slots=slots,
                   start_param=web.start_param, **_view_context(appt))


@bp.context_processor
def _template_helpers() -> dict:
    return {"status_label": status_label}


@bp.after_request
def _no_store(response):
    """Pages with a reference, an access code or personal details are never cached."""
    response.headers["Cache-Control"] = "no-store"
    return response
