"""Marshmallow schemas of the booking and case API (they generate the OpenAPI document)."""
from __future__ import annotations

from datetime import timezone as tz

from marshmallow import EXCLUDE, Schema, fields, validate

from knowledge.schema import LANGS


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


# ---- search and chat (their operations validate the body: see api.base.json_body) ----

class SearchRequestSchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=1000),
                      metadata={"description": "the question, in any of the nine languages"})
    lang = fields.String(validate=validate.OneOf(LANGS),
                         metadata={"description": "answer language; detected from `q` when absent"})
    k = fields.Integer(validate=validate.Range(1, 10), metadata={"description": "results, default 3"})


class SearchHitSchema(Schema):
    service = fields.String(required=True, metadata={"description": "catalogue slug"})
    title = fields.String(required=True)
    score = fields.Float(required=True)
    url = fields.String(required=True, metadata={"description": "the guide page"})
    answer = fields.String(required=True, metadata={"description": "curated answer from the knowledge base"})
    fallback = fields.Boolean(required=True, metadata={"description": "not in the asked language: shown in Turkish"})


class SearchResultSchema(Schema):
    lang = fields.String(required=True)
    abstain = fields.Boolean(required=True, metadata={"description": "nothing in the knowledge base answers"})
    out_of_scope = fields.Boolean(required=True, metadata={"description": "not about migration services at all"})
    results = fields.List(fields.Nested(SearchHitSchema), required=True)


class ChatRequestSchema(Schema):
    message = fields.String(required=True, validate=validate.Length(min=1),
                            metadata={"description": "what the user typed, or a button's payload"})
    lang = fields.String(metadata={"description": "the page language"})
    session = fields.String(metadata={"description": "for clients without cookies: the `session` last returned"})


class ChatButtonSchema(Schema):
    title = fields.String(required=True)
    payload = fields.String(metadata={"description": "send it back as `message`"})
    url = fields.String(metadata={"description": "a link (site path or tel:)"})


class ChatMessageSchema(Schema):
    text = fields.String(required=True)
    buttons = fields.List(fields.Nested(ChatButtonSchema))


class ChatTurnSchema(Schema):
    session = fields.String(required=True, metadata={"description": "also set as the chat_session cookie"})
    lang = fields.String(required=True)
    messages = fields.List(fields.Nested(ChatMessageSchema), required=True)
    intent = fields.String(allow_none=True, required=True)
    sources = fields.List(fields.String(), required=True, metadata={"description": "catalogue slugs"})
    handoff = fields.String(allow_none=True, required=True, validate=validate.OneOf(["waiting", "claimed"]))
    emergency = fields.Boolean(required=True)
    degraded = fields.Boolean(required=True, metadata={"description": "the assistant was unavailable"})


class ChatPollQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE
    after = fields.Integer(load_default=0, validate=validate.Range(min=0),
                           metadata={"description": "last message id seen"})
    session = fields.String(metadata={"description": "for clients without cookies"})


class ChatLineSchema(Schema):
    id = fields.Integer(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["agent", "system"]))
    text = fields.String(required=True)


class ChatPollSchema(Schema):
    messages = fields.List(fields.Nested(ChatLineSchema), required=True)
    handoff = fields.String(allow_none=True, required=True)


# ---- staff console: suggested answers and the handover inbox (session cookie or bearer token) ----

class StaffSuggestQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE
    q = fields.String(load_default=None, metadata={"description": "the caller's question (checked like a search)"})
    caller = fields.String(load_default=None, metadata={"description": "the caller's language; detected when absent"})
    held = fields.String(load_default=None, metadata={
        "description": "the language the console shows so far: kept until the text clearly says otherwise"})


class StaffSuggestionSchema(Schema):
    service = fields.String(required=True, metadata={"description": "catalogue slug"})
    title = fields.String(required=True)
    score = fields.Float(required=True, metadata={"description": "the search's raw fused score (not a probability)"})
    answer = fields.String(required=True, metadata={"description": "in the caller's language"})
    fallback = fields.Boolean(required=True, metadata={"description": "not in the caller's language: Turkish"})
    title_tr = fields.String(required=True)
    answer_tr = fields.String(required=True, metadata={"description": "the Turkish answer, for the agent"})
    documents = fields.List(fields.String(), required=True)
    documents_fallback = fields.Boolean(required=True)
    url = fields.String(required=True, metadata={"description": "the guide page in the caller's language"})


class StaffSuggestionsSchema(Schema):
    lang = fields.String(required=True, metadata={"description": "the caller's language (detected or given)"})
    alternative = fields.String(required=True, allow_none=True, metadata={
        "description": "a close second language of the same script (ru/uk, ar/fa/ps), shown as well"})
    settled = fields.Boolean(required=True, metadata={"description": "enough text to decide the language"})
    abstain = fields.Boolean(required=True, metadata={"description": "nothing answers with confidence"})
    band = fields.String(required=True, validate=validate.OneOf(["sure", "likely", "check"]), metadata={
        "description": "calibrated confidence in the first suggestion (sure: right at least 95% of the time)"})
    suggestions = fields.List(fields.Nested(StaffSuggestionSchema), required=True,
                              metadata={"description": "at most 3, also when abstaining"})


class WaitSchema(Schema):
    seconds = fields.Integer(required=True)
    iso = fields.String(required=True, metadata={"description": "ISO 8601 duration"})
    text = fields.String(required=True, metadata={"description": "in the console's language"})


class HandoffSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["waiting", "claimed", "closed"]))
    lang = fields.String(required=True)
    lang_name = fields.String(required=True)
    requested_at = fields.String(required=True, metadata={"description": "UTC"})
    requested_local = fields.String(required=True, metadata={"description": "HH:MM, Istanbul time"})
    wait = fields.Nested(WaitSchema, required=True)
    claimed_by = fields.String(required=True, allow_none=True, metadata={"description": "the agent's name"})
    mine = fields.Boolean(required=True)
    urgent = fields.Boolean(required=True, metadata={"description": "an emergency"})


class HandoffListSchema(Schema):
    handoffs = fields.List(fields.Nested(HandoffSchema), required=True)


class HandoffPollQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE
    after = fields.String(load_default="0", metadata={"description": "last message id seen (anything else: 0)"})


class TranscriptLineSchema(Schema):
    id = fields.Integer(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["user", "bot", "agent", "system"]))
    label = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "masked"})
    author = fields.String(required=True, metadata={"description": "the agent's name for agent lines"})
    at = fields.String(required=True, metadata={"description": "UTC"})
    at_local = fields.String(required=True, metadata={"description": "HH:MM, Istanbul time"})


class HandoffTranscriptSchema(HandoffSchema):
    messages = fields.List(fields.Nested(TranscriptLineSchema), required=True)
    dir = fields.String(required=True, validate=validate.OneOf(["ltr", "rtl"]))
