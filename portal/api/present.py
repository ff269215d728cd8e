"""Turn models into the JSON shapes of the API (one place, shared by public and staff endpoints)."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from ..appointments.validation import display_phone
from ..cases.labels import case_status_label
from ..guides.operations import service_title
from ..timeutil import ISTANBUL, as_istanbul, iso_utc

TIMEZONE = ISTANBUL.key


def office_json(office) -> dict:
    return {"code": office.code, "name": office.name, "province": office.province, "hours": office.hours,
            "slot_minutes": office.slot_minutes, "counters": office.counters}


def service_json(slug: str, lang: str) -> dict:
    return {"slug": slug, "title": service_title(slug, lang),
            "url": url_for("guides.guide", lang=lang, slug=slug)}


def slot_json(slot: dict) -> dict:
    return {"start": iso_utc(slot["start"]), "end": iso_utc(slot["end"]),
            "local_start": as_istanbul(slot["start"]).isoformat(), "available": slot["available"]}


def appointment_json(appt, office, lang: str, staff: bool = False) -> dict:
    out = {"reference": appt.reference, "status": appt.status, "office": office_json(office),
           "service": service_json(appt.service_slug, lang), "start": iso_utc(appt.start_at),
           "end": iso_utc(appt.start_at + timedelta(minutes=office.slot_minutes)),
           "local_start": as_istanbul(appt.start_at).isoformat(), "timezone": TIMEZONE,
           "lang": appt.lang, "name": appt.full_name or ""}
    if staff:
        out.update(phone=display_phone(appt.phone), email=appt.email)
    return out


def case_json(case, events, lang: str) -> dict:
    return {"number": case.number, "status": case.status, "status_label": case_status_label(case.status),
            "service": service_json(case.service_slug, lang),
            "events": [{"at": iso_utc(e.at), "status": e.status, "status_label": case_status_label(e.status),
                        "note": e.public_note} for e in events]}


def staff_case_json(case, events, notes, lang: str) -> dict:
    out = case_json(case, events, lang)
    out.update(name=case.full_name, phone=display_phone(case.phone), email=case.email, lang=case.lang,
               office=case.office_code,
               staff_notes=[{"at": iso_utc(n.at), "author_id": n.author_id, "text": n.text} for n in notes])
    return out
