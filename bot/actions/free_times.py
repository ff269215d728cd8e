"""Free appointment times of an office and service, shared by the booking and reschedule forms:
fetching them, offering them as buttons (by day or by time) and reading the user's choice."""
from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from rasa_sdk.executor import CollectingDispatcher

from . import messages, portal_client
from .base import Turn
from .forms_common import local_time

SHOWN_TIMES = 6
SHOWN_DAYS = 6
SLOT_PAYLOAD = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_TIME = re.compile(r"\b(\d{1,2})[:.h](\d{2})\b")
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\b")


def load(dispatcher: CollectingDispatcher, t: Turn, office, service, skip: str | None = None) -> list[dict] | None:
    """Free slots (next two weeks) or None after telling the user the service is unreachable.
    `skip`: a UTC start not to offer (the appointment's current time)."""
    try:
        slots = portal_client.free_slots(int(office), service, t.lang)
    except (portal_client.PortalUnavailable, portal_client.PortalError, TypeError, ValueError):
        messages.service_unreachable(dispatcher, t)
        return None
    return [s for s in slots if s["start"] != skip]


def time_buttons(slots: list[dict], t: Turn) -> list[dict]:
    return [{"title": local_time(s["local_start"], t), "payload": s["local_start"][:16]} for s in slots[:SHOWN_TIMES]]


def days(slots: list[dict]) -> list[str]:
    """The Istanbul dates ('2026-11-25') that have a free slot, in order."""
    return list(dict.fromkeys(s["local_start"][:10] for s in slots))


def on_day(slots: list[dict], day: str) -> list[dict]:
    return [s for s in slots if s["local_start"].startswith(day)]


def day_buttons(slots: list[dict], t: Turn) -> list[dict]:
    return [{"title": format_date(date.fromisoformat(d), "EEE d MMM", locale=t.lang), "payload": d}
            for d in days(slots)[:SHOWN_DAYS]]


def looks_like_day(text: str) -> str | None:
    """`text` when it is written like a date (a form answer even if the NLU saw a question in it)."""
    return text if _ISO_DAY.search(text) or _DAY_MONTH.search(text) else None


def find_day(text: str, free_days: list[str]) -> str | None:
    """A button payload or typed date ('2026-11-25', '25.11', '25/11/2026') or the number of a shown day
    -> one of `free_days`."""
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= min(SHOWN_DAYS, len(free_days)):
        return free_days[int(text) - 1]
    m = _ISO_DAY.search(text)
    if m:
        wanted = m.group(0)
    else:
        m = _DAY_MONTH.search(text)
        if not m:
            return None
        wanted = f"-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return next((d for d in free_days if d.endswith(wanted)), None)


def find_slot(text: str, slots: list[dict]) -> str | None:
    """A button payload (local ISO start), the number of a shown time (1-6) or a typed time 'HH:MM'
    -> the slot's UTC start."""
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= min(SHOWN_TIMES, len(slots)):
        return slots[int(text) - 1]["start"]
    if SLOT_PAYLOAD.match(text):
        for slot in slots:
            if slot["local_start"].startswith(text[:16]):
                return slot["start"]
        return None
    m = _TIME.search(text)
    if m:
        hhmm = f"{int(m.group(1)):02d}:{m.group(2)}"
        for slot in slots:
            if slot["local_start"][11:16] == hhmm:
                return slot["start"]
    return None
