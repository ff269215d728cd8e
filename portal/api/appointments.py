"""Public booking API: offices, bookable services, free slots, book, look up, cancel, reschedule."""
from __future__ import annotations

from flask_babel import gettext as _

from ..appointments import operations as ops
from ..appointments.offices import get_office, list_offices
from ..appointments.slots import bookable_service, bookable_services, check_date_range, free_slots
from ..chat.pseudonyms import cover_value, reveal_value
from ..errors import ValidationFailed
from ..extensions import code_guess_limits, limiter
from ..ratelimit import BOOKING_LIMIT, READ_LIMIT
from ..i18n import current_lang
from ..timeutil import to_utc_naive
from . import present
from .schemas import (AccessSchema, AppointmentSchema, BookingResultSchema, BookingSchema,
                      IdempotencyHeaderSchema, LangQuerySchema, OfficeListSchema, RescheduleSchema,
                      ServiceListSchema, SlotListSchema, SlotQuerySchema)
from .base import api_blueprint, error_responses

blp = api_blueprint("appointments_api", __name__, "Offices, slots and appointments (public).")


def _errors(*codes: int):
    return error_responses(blp, *codes)


def _utc(value):
    """Aware datetime from the request -> naive UTC (times outside the calendar are a field error)."""
    if value is None:
        return None
    try:
        return to_utc_naive(value)
    except OverflowError:
        raise ValidationFailed(fields={"start": _("Choose one of the available times")}) from None


@blp.route("/offices", methods=["GET"])
@limiter.limit(READ_LIMIT)
@blp.arguments(LangQuerySchema, location="query")
@blp.response(200, OfficeListSchema)
@_errors(429)
def offices(_args):
    """The provincial directorates where appointments can be booked."""
    return {"offices": [present.office_json(o) for o in list_offices()]}


@blp.route("/services", methods=["GET"])
@limiter.limit(READ_LIMIT)
@blp.arguments(LangQuerySchema, location="query")
@blp.response(200, ServiceListSchema)
@_errors(429)
def services(_args):
    """Services that can be booked (catalogue slugs), titled in the request's language."""
    lang = current_lang()
    return {"lang": lang, "services": [present.service_json(s.slug, lang) for s in bookable_services()]}


@blp.route("/offices/<int:code>/slots", methods=["GET"])
@limiter.limit(READ_LIMIT)
@blp.arguments(SlotQuerySchema, location="query")
@blp.response(200, SlotListSchema)
@_errors(404, 422, 429)
def slots(args, code: int):
    """Slot times of an office for a service and a date range (Istanbul dates), with free places."""
    office = get_office(code)
    service = bookable_service(args["service"])
    first, last = check_date_range(args.get("date_from"), args.get("date_to"))
    return {"office": office.code, "service": service, "timezone": present.TIMEZONE,
            "slots": [present.slot_json(s) for s in free_slots(office, first, last)]}


@blp.route("/appointments", methods=["POST"])
@limiter.limit(BOOKING_LIMIT)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(BookingSchema)
@blp.response(201, BookingResultSchema)
@_errors(409, 422, 429)
def book(headers, body):
    """Book an appointment. Needs consent to the privacy notice. The access code is returned only here.

    With an `Idempotency-Key` header, repeating the same request returns the same booking.

    Families often share one phone: one active appointment per person (the same phone number and name,
    ignoring case, accents and spacing) and service (409 `already_booked`, on the `name` field), and at
    most six active appointments per phone number (409 `phone_limit`, on the `phone` field). A refusal
    never names or refers to anyone else's booking. A full time is 409 `slot_full`.
    """
    data = dict(body, start=_utc(body.get("start")), phone=reveal_value("phone", body["phone"]))
    booking = ops.book_appointment(data, headers.get("idempotency_key"))
    appt = booking.appointment
    return {"reference": appt.reference, "access_code": cover_value("code", booking.access_code),
            "appointment": present.appointment_json(appt, get_office(appt.office_code), current_lang())}


def _show(appt):
    return present.appointment_json(appt, get_office(appt.office_code), current_lang())


@blp.route("/appointments/lookup", methods=["POST"])
@code_guess_limits
@blp.arguments(AccessSchema)
@blp.response(200, AppointmentSchema)
@_errors(404, 422, 429)
def lookup(body):
    """Show an appointment: reference and access code (sent in the body, never in the URL)."""
    return _show(ops.verify_access(body["reference"], reveal_value("code", body["access_code"])))


@blp.route("/appointments/cancel", methods=["POST"])
@code_guess_limits
@blp.arguments(AccessSchema)
@blp.response(200, AppointmentSchema)
@_errors(404, 409, 422, 429)
def cancel(body):
    """Cancel an appointment (reference and access code); the slot becomes free at once."""
    appt = ops.verify_access(body["reference"], reveal_value("code", body["access_code"]))
    return _show(ops.cancel_appointment(appt.reference))


@blp.route("/appointments/reschedule", methods=["POST"])
@code_guess_limits
@blp.arguments(RescheduleSchema)
@blp.response(200, AppointmentSchema)
@_errors(404, 409, 422, 429)
def reschedule(body):
    """Move an appointment to another free slot of the same office (all or nothing)."""
    appt = ops.verify_access(body["reference"], reveal_value("code", body["access_code"]))
    return _show(ops.reschedule_appointment(appt.reference, _utc(body["start"])))
