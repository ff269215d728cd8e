"""Marshmallow schemas of the booking and case API (they generate the OpenAPI document)."""
from __future__ import annotations

from datetime import timezone as tz

from marshmallow import EXCLUDE, Schema, fields, validate


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "stable error code"})
    message = fields.String(required=True, metadata={"description": "in the request's language"})
    fields = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                         metadata={"description": "field name -> message"})


class LangQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE
    lang = fields.String(validate=validate.Length(max=5), metadata={"description": "response language"})


class OfficeSchema(Schema):
    code = fields.Integer(required=True, metadata={"description": "province licence-plate code"})
    name = fields.String(required=True)
    province = fields.String(required=True)
    hours = fields.String(required=True, metadata={"description": "opening hours, Istanbul time"})
    slot_minutes = fields.Integer(required=True)
    counters = fields.Integer(required=True, metadata={"description": "places per slot"})


class OfficeListSchema(Schema):
    offices = fields.List(fields.Nested(OfficeSchema), required=True)


class ServiceSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True)


class ServiceListSchema(Schema):
    lang = fields.String(required=True)
    services = fields.List(fields.Nested(ServiceSchema), required=True)


class SlotQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE
    service = fields.String(required=True, validate=validate.Length(min=1, max=80))
    date_from = fields.Date(data_key="from", metadata={"description": "first day (Istanbul), default today"})
    date_to = fields.Date(data_key="to", metadata={"description": "last day, default from + 13 days; max 31 days"})
    lang = fields.String(validate=validate.Length(max=5))


class SlotSchema(Schema):
    start = fields.String(required=True, metadata={"description": "UTC, ISO 8601"})
    end = fields.String(required=True)
    local_start = fields.String(required=True, metadata={"description": "Europe/Istanbul, ISO 8601"})
    available = fields.Integer(required=True)


class SlotListSchema(Schema):
    office = fields.Integer(required=True)
    service = fields.String(required=True)
    timezone = fields.String(required=True)
    slots = fields.List(fields.Nested(SlotSchema), required=True)


class BookingSchema(Schema):
    class Meta:
        unknown = EXCLUDE
    office = fields.Integer(required=True, strict=True, validate=validate.Range(1, 999))
    service = fields.String(required=True, validate=validate.Length(max=80))
    start = fields.AwareDateTime(required=True, default_timezone=tz.utc,
                                 metadata={"description": "slot start from the slot list (UTC)"})
    name = fields.String(required=True, validate=validate.Length(max=400))
    phone = fields.String(required=True, validate=validate.Length(max=40))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    lang = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5))
    consent = fields.Boolean(required=True, metadata={"description": "agrees to the privacy notice"})


class IdempotencyHeaderSchema(Schema):
    class Meta:
        unknown = EXCLUDE
    idempotency_key = fields.String(data_key="Idempotency-Key", validate=validate.Length(min=8, max=200),
                                    metadata={"description": "a retry with the same key and body books once"})


class AppointmentSchema(Schema):
    reference = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["booked", "cancelled", "attended", "no_show"]))
    office = fields.Nested(OfficeSchema, required=True)
    service = fields.Nested(ServiceSchema, required=True)
    start = fields.String(required=True)
    end = fields.String(required=True)
    local_start = fields.String(required=True)
    timezone = fields.String(required=True)
    lang = fields.String(required=True)
    name = fields.String(required=True)


class BookingResultSchema(Schema):
    reference = fields.String(required=True)
    access_code = fields.String(required=True, metadata={"description": "shown once: keep it"})
    appointment = fields.Nested(AppointmentSchema, required=True)


class AccessSchema(Schema):
    class Meta:
        unknown = EXCLUDE
    reference = fields.String(required=True, validate=validate.Length(min=1, max=40))
    access_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    lang = fields.String(validate=validate.Length(max=5))


class RescheduleSchema(AccessSchema):
    start = fields.AwareDateTime(required=True, default_timezone=tz.utc)


class CaseAccessSchema(Schema):
    class Meta:
        unknown = EXCLUDE
    number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    access_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    lang = fields.String(validate=validate.Length(max=5))


class CaseEventSchema(Schema):
    at = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    note = fields.String(required=True)


class CaseTimelineSchema(Schema):
    number = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    service = fields.Nested(ServiceSchema, required=True)
    events = fields.List(fields.Nested(CaseEventSchema), required=True)


# ---- staff ----

class StaffDayQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE
    office = fields.Integer(required=True, validate=validate.Range(1, 999))
    day = fields.Date(required=True, metadata={"description": "Istanbul date"})


class StaffAppointmentSchema(AppointmentSchema):
    phone = fields.String(required=True)
    email = fields.String(allow_none=True)


class StaffAppointmentListSchema(Schema):
    appointments = fields.List(fields.Nested(StaffAppointmentSchema), required=True)


class AttendanceSchema(Schema):
    class Meta:
        unknown = EXCLUDE
    status = fields.String(required=True, validate=validate.OneOf(["attended", "no_show"]))


class CaseCreateSchema(Schema):
    class Meta:
        unknown = EXCLUDE
    service = fields.String(required=True, validate=validate.Length(max=80))
    name = fields.String(required=True, validate=validate.Length(max=400))
    phone = fields.String(required=True, validate=validate.Length(max=40))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    lang = fields.String(load_default="tr", validate=validate.Length(max=5))
    office = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, 999))
    public_note = fields.String(load_default="", validate=validate.Length(max=2000))


class CaseCreatedSchema(Schema):
    number = fields.String(required=True)
    access_code = fields.String(required=True, metadata={"description": "give it to the applicant once"})


class CaseEventCreateSchema(Schema):
    class Meta:
        unknown = EXCLUDE
    status = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    public_note = fields.String(load_default="", validate=validate.Length(max=2000),
                                metadata={"description": "shown to the applicant; write it in their language"})
    staff_note = fields.String(load_default="", validate=validate.Length(max=2000),
                               metadata={"description": "internal, never shown to the applicant"})


class StaffNoteSchema(Schema):
    at = fields.String(required=True)
    author_id = fields.Integer(allow_none=True)
    text = fields.String(required=True)


class StaffCaseSchema(CaseTimelineSchema):
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    lang = fields.String(required=True)
    office = fields.Integer(allow_none=True)
    staff_notes = fields.List(fields.Nested(StaffNoteSchema), required=True)
