"""Booking, looking up, cancelling and rescheduling appointments; staff views.

Capacity and "one active appointment per applicant and service" are enforced by partial unique
indexes (see models.py): a booking takes a free seat of the slot in a savepoint and, when another
request took it first, tries the next seat. No check-then-insert race on SQLite or PostgreSQL.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..audit import record, record_now
from ..config import secret_keys
from ..errors import Conflict, NotFound, ValidationFailed
from ..i18n import current_lang
from ..metrics import count_booking
from ..timeutil import as_istanbul, utcnow
from . import codes
from .models import ACTIVE, Appointment
from .offices import get_office
from .slots import bookable_service, check_start
from .validation import clean_email, clean_lang, clean_name, clean_phone, name_key


class SlotFull(Conflict):
    code = "slot_full"


class AlreadyBooked(Conflict):
    code = "already_booked"


class PhoneLimit(Conflict):
    code = "phone_limit"


# Families often share one phone: one active appointment per person (name and phone) and service, and at
# most this many active appointments per phone number. A refusal never says whose bookings there are.
MAX_PER_PHONE = 6


class NotChangeable(Conflict):
    code = "not_changeable"


@dataclass
class Booking:
    appointment: Appointment
    access_code: str
    replayed: bool = False


def _not_found() -> NotFound:
    """The one error for both 'no such reference' and 'wrong code' (no enumeration)."""
    return NotFound(_("We could not find an appointment with this reference and access code. "
                      "Check both and try again."))


def validate_booking(data: dict) -> dict:
    """Check every field; raise one ValidationFailed listing each problem."""
    fields: dict[str, str] = {}
    clean: dict = {}
    try:
        clean["service"] = bookable_service(data.get("service"))
    except ValidationFailed as err:
        fields.update(err.fields)
    try:
        clean["office"] = get_office(data.get("office")).code
    except NotFound:
        fields["office"] = _("Choose an office")
    for key, cleaner in (("name", clean_name), ("phone", clean_phone), ("email", clean_email)):
        clean[key], error = cleaner(data.get(key))
        if error:
            fields[key] = error
    if data.get("consent") is not True:
        fields["consent"] = _("You must agree to the privacy notice to book an appointment")
    start = data.get("start")
    if not isinstance(start, datetime):
        fields["start"] = _("Choose one of the available times")
    elif "office" in clean:
        try:
            clean["start"] = check_start(get_office(clean["office"]), start)
        except ValidationFailed as err:
            fields.update(err.fields)
    clean["lang"] = clean_lang(data.get("lang"), current_lang())
    if fields:
        raise ValidationFailed(fields=fields)
    return clean


def _request_hash(clean: dict) -> str:
    payload = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in clean.items()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _key_hash(key: str) -> str:
    return hashlib.sha256(("idem:" + key).encode()).hexdigest()


def _replay(appt: Appointment, key: str, request_hash: str) -> Booking:
    if appt.idem_request_hash != request_hash:
        raise Conflict(_("This Idempotency-Key was already used for a different request."))
    secret = current_app.config["SECRET_KEY"]
    return Booking(appt, codes.derived_access_code(secret, "appt", key, appt.reference), replayed=True)


def _violation(exc: IntegrityError) -> str:
    text = str(getattr(exc.orig, "diag", None) and exc.orig.diag.constraint_name or exc.orig)
    for marker, kind in (("idem_key", "idempotency"), ("active_person", "applicant"),
                         ("appointments.phone", "applicant"), ("reference", "reference")):
        if marker in text:
            return kind
    return "seat"


def _free_seats(sess, office_code: int, start: datetime, counters: int) -> list[int]:
    used = set(sess.scalars(select(Appointment.seat).where(
        Appointment.office_code == office_code, Appointment.start_at == start, Appointment.status == ACTIVE)))
    return [s for s in range(counters) if s not in used]


def book_appointment(data: dict, idempotency_key: str | None = None) -> Booking:
    """Book a slot: validate, then take a free seat atomically. Returns the appointment and its code."""
    clean = validate_booking(data)
    req_hash = _request_hash(clean)
    key_hash = _key_hash(idempotency_key) if idempotency_key else None
    sess = db.session()

    def refuse(error: Exception):
        """A retry of a booking that a parallel request with the same key made gets that booking, not
        a refusal caused by it (slot now full, person already booked): every retry replays the first."""
        if key_hash:
            earlier = db.session().scalar(select(Appointment).where(Appointment.idem_key_hash == key_hash))
            if earlier is not None:
                return _replay(earlier, idempotency_key, req_hash)
        raise error

    if key_hash:
        earlier = sess.scalar(select(Appointment).where(Appointment.idem_key_hash == key_hash))
        if earlier is not None:
            return _replay(earlier, idempotency_key, req_hash)
    office = get_office(clean["office"])
    if not _free_seats(sess, office.code, clean["start"], office.counters):
        return refuse(_slot_full())   # fast answer when the slot is visibly full (the insert still decides)
    secret = current_app.config["SECRET_KEY"]
    if sess.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.phone == clean["phone"], Appointment.status == ACTIVE)) >= MAX_PER_PHONE:
        message = _("No more appointments can be booked with this phone number. Please give another number, "
                    "or call YİMER 157.")
        return refuse(PhoneLimit(message, fields={"phone": message}))
    for _attempt in range(5):   # a new reference if one collides
        reference = codes.new_reference()
        code = (codes.derived_access_code(secret, "appt", idempotency_key, reference)
                if idempotency_key else codes.new_access_code())
        access_hash = codes.hash_code(code, secret)      # hash outside the write lock
        sess = db.begin_write()
        outcome = _take_seat(sess, office, clean, reference, access_hash, key_hash, req_hash)
        if isinstance(outcome, Appointment):
            record("appointment.create", "appointment", reference)
            sess.commit()
            count_booking()
            return Booking(outcome, code)
        sess.rollback()
        if outcome == "idempotency":
            earlier = sess.scalar(select(Appointment).where(Appointment.idem_key_hash == key_hash))
            if earlier is not None:
                return _replay(earlier, idempotency_key, req_hash)
        elif outcome == "applicant":
            return refuse(AlreadyBooked(
                _("This person already has an appointment for this service. "
                  "Cancel or change it before you book another one."),
                fields={"name": _("This person already has an appointment for this service")}))
        elif outcome == "full":
            return refuse(_slot_full())
    raise Conflict()


def _slot_full() -> SlotFull:
    message = _("This time is now fully booked. Please choose another time.")
    return SlotFull(message, fields={"start": message})


def _take_seat(sess, office, clean, reference, access_hash, key_hash, req_hash):
    """Insert into the first free seat; returns the appointment or why it failed."""
    seats = _free_seats(sess, office.code, clean["start"], office.counters)
    if not seats:
        return "full"
    for seat in seats:
        appt = Appointment(reference=reference, office_code=office.code, service_slug=clean["service"],
                           start_at=clean["start"], seat=seat, status=ACTIVE, full_name=clean["name"],
                           phone=clean["phone"], name_key=name_key(clean["name"]), email=clean["email"],
                           lang=clean["lang"],
                           access_hash=access_hash, idem_key_hash=key_hash, idem_request_hash=req_hash)
        try:
            with sess.begin_nested():
                sess.add(appt)
            return appt
        except IntegrityError as exc:
            kind = _violation(exc)
            if kind != "seat":
                return kind
    return "full"


def verify_access(reference: str, access_code: str) -> Appointment:
    """The appointment if the reference and code match (constant time); audit every attempt."""
    ref = codes.normalise_reference(reference)
    appt = db.session().scalar(select(Appointment).where(Appointment.reference == ref)) if ref else None
    usable = appt is not None and appt.purged_at is None
    ok = codes.verify_code(appt.access_hash if usable else None, access_code, secret_keys(current_app.config))
    if not ok:
        record_now("appointment.lookup", "appointment", ref[:16], outcome="failed")
        raise _not_found()
    record_now("appointment.lookup", "appointment", ref)
    return appt


def get_by_reference(reference: str) -> Appointment:
    appt = db.session().scalar(select(Appointment).where(Appointment.reference == reference))
    if appt is None or appt.purged_at is not None:
        raise _not_found()
    return appt


def _lock_for_change(reference: str) -> tuple:
    sess = db.begin_write()
    stmt = select(Appointment).where(Appointment.reference == reference)
    if sess.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    appt = sess.scalar(stmt)
    if appt is None:
        raise _not_found()
    if appt.status != ACTIVE or appt.start_at <= utcnow():
        raise NotChangeable(_("This appointment can no longer be changed."))
    return sess, appt


def cancel_appointment(reference: str) -> Appointment:
    """Cancel an appointment whose access was already verified; its seat is free at once."""
    sess, appt = _lock_for_change(reference)
    appt.status = "cancelled"
    record("appointment.cancel", "appointment", reference)
    sess.commit()
    return appt


def reschedule_appointment(reference: str, start) -> Appointment:
    """Move an appointment to another slot of the same office, atomically (all or nothing)."""
    if not isinstance(start, datetime):
        raise ValidationFailed(fields={"start": _("Choose one of the available times")})
    appt = get_by_reference(reference)
    office = get_office(appt.office_code)
    check_start(office, start)
    sess, appt = _lock_for_change(reference)
    if appt.start_at == start:
        return appt
    for seat in _free_seats(sess, office.code, start, office.counters):
        try:
            with sess.begin_nested():
                appt.start_at, appt.seat = start, seat
                sess.flush()
            record("appointment.reschedule", "appointment", reference)
            sess.commit()
            return appt
        except IntegrityError:
            continue
    sess.rollback()
    raise _slot_full()


def list_for_office_day(office_code, day: date) -> list[Appointment]:
    """Staff: the office's appointments of one Istanbul day (audited: it shows personal data)."""
    from ..timeutil import to_utc_naive
    office = get_office(office_code)
    if not date(2000, 1, 1) <= day <= date(9000, 1, 1):
        raise ValidationFailed(fields={"day": _("This value is not valid")})
    first = to_utc_naive(datetime.combine(day, datetime.min.time()))
    rows = list(db.session().scalars(select(Appointment).where(
        Appointment.office_code == office.code, Appointment.start_at >= first,
        Appointment.start_at < first + timedelta(days=1), Appointment.purged_at.is_(None),
    ).order_by(Appointment.start_at, Appointment.seat)))
    record_now("appointment.list", "office", f"{office.code}:{day.isoformat()}")
    return rows


def mark_attendance(reference: str, status: str) -> Appointment:
    """Staff: mark a booked appointment attended or no-show."""
    if status not in ("attended", "no_show"):
        raise ValidationFailed(fields={"status": _("Choose attended or no-show")})
    sess = db.begin_write()
    appt = sess.scalar(select(Appointment).where(Appointment.reference == codes.normalise_reference(reference)))
    if appt is None or appt.purged_at is not None:
        raise NotFound()
    if appt.status != ACTIVE:
        raise NotChangeable(_("This appointment can no longer be changed."))
    now = utcnow()
    if status == "no_show" and appt.start_at > now:
        raise NotChangeable(_("A no-show can be recorded only after the appointment time."))
    if status == "attended" and as_istanbul(appt.start_at).date() > as_istanbul(now).date():
        raise NotChangeable(_("Attendance can be recorded only on the day of the appointment."))
    appt.status = status
    record(f"appointment.{status}", "appointment", appt.reference)
    sess.commit()
    return appt


MIN_SEARCH = 2
MAX_SEARCH_DAYS = 92


def _fold(text: str | None) -> str:
    """Case- and accent-insensitive form for staff searches (Ayşe ~ AYSE, İlker ~ ilker ~ Ilker)."""
    import unicodedata
    decomposed = unicodedata.normalize("NFD", (text or "").casefold().replace("ı", "i"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_appointments(office_code, first: date, last: date, query: str) -> list[Appointment]:
    """Staff: appointments matching a reference or a part of a name or reference (at least two
    characters, any case). A complete reference is found in every office and on every day; other
    queries search one office between two Istanbul dates. Audited: results show personal data."""
    from ..timeutil import to_utc_naive
    text = " ".join(str(query or "").split())[:80]
    if len(text) < MIN_SEARCH:
        raise ValidationFailed(fields={"q": _("Enter at least 2 characters of a reference or a name")})
    office = get_office(office_code)
    if last < first or (last - first).days > MAX_SEARCH_DAYS or first < date(2000, 1, 1):
        raise ValidationFailed(fields={"day": _("This value is not valid")})
    sess = db.session()
    reference = codes.normalise_reference(text)
    exact = sess.scalar(select(Appointment).where(Appointment.reference == reference,
                                                  Appointment.purged_at.is_(None)))
    if exact is not None:
        record_now("appointment.search", "appointment", exact.reference)
        return [exact]
    start = to_utc_naive(datetime.combine(first, datetime.min.time()))
    end = to_utc_naive(datetime.combine(last + timedelta(days=1), datetime.min.time()))
    rows = sess.scalars(select(Appointment).where(
        Appointment.office_code == office.code, Appointment.start_at >= start, Appointment.start_at < end,
        Appointment.purged_at.is_(None)).order_by(Appointment.start_at, Appointment.seat))
    needle, code_needle = _fold(text), codes.normalise_code(text)
    found = [a for a in rows if needle in _fold(a.full_name)
             or (code_needle and code_needle in codes.normalise_code(a.reference))]
    record_now("appointment.search", "office", f"{office.code}:{first.isoformat()}:{last.isoformat()}")
    return found


def upcoming_days(office_code, first: date, count: int = 7) -> list[tuple[date, int]]:
    """Staff: the office's next `count` open days from `first` with how many appointments are booked
    on each (no personal data)."""
    from ..timeutil import as_istanbul, to_utc_naive
    from . import schedule
    from .offices import holidays_for
    office = get_office(office_code)
    last = first + timedelta(days=count * 3 + 14)
    closed = schedule.closed_weekdays(office.closed_weekdays)
    holidays = holidays_for(office.code, first, last)
    days = [d for d in schedule.days_between(first, last) if schedule.is_open(d, closed, holidays)][:count]
    if not days:
        return []
    start = to_utc_naive(datetime.combine(days[0], datetime.min.time()))
    end = to_utc_naive(datetime.combine(days[-1] + timedelta(days=1), datetime.min.time()))
    totals: dict[date, int] = {}
    for start_at in db.session().scalars(select(Appointment.start_at).where(
            Appointment.office_code == office.code, Appointment.status == ACTIVE,
            Appointment.start_at >= start, Appointment.start_at < end, Appointment.purged_at.is_(None))):
        local_day = as_istanbul(start_at).date()
        totals[local_day] = totals.get(local_day, 0) + 1
    return [(d, totals.get(d, 0)) for d in days]
