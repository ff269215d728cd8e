"""Free appointment times of an office and service, shared by the booking and reschedule forms:
fetching them, offering them as buttons (by day or by time) and reading the user's choice."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from babel.dates import format_date
from rasa_sdk.executor import CollectingDispatcher

from . import lexicon, messages, portal_client
from .base import Turn
from .forms_common import ISTANBUL, failed, local_time

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


def time_buttons(slots: list[dict], t: Turn, limit: int = SHOWN_TIMES) -> list[dict]:
    return [{"title": local_time(s["local_start"], t), "payload": s["local_start"][:16]} for s in slots[:limit]]


def day_title(day: str, t: Turn) -> str:
    """'2026-12-10' -> 'Thursday 10 December' in the user's language."""
    try:
        return format_date(date.fromisoformat(day), "EEEE d MMMM", locale=t.lang)
    except (TypeError, ValueError):
        return str(day)


def days(slots: list[dict]) -> list[str]:
    """The Istanbul dates ('2026-11-25') that have a free slot, in order."""
    return list(dict.fromkeys(s["local_start"][:10] for s in slots))


def on_day(slots: list[dict], day: str) -> list[dict]:
    return [s for s in slots if s["local_start"].startswith(day)]


def day_buttons(slots: list[dict], t: Turn) -> list[dict]:
    return [{"title": format_date(date.fromisoformat(d), "EEE d MMM", locale=t.lang), "payload": d}
            for d in days(slots)[:SHOWN_DAYS]]


def istanbul_today() -> date:
    return datetime.now(ISTANBUL).date()


def looks_like_day(text: str) -> str | None:
    """`text` when it is written like a date or a day (a form answer even if the NLU saw a question in it):
    digits, a weekday, today/tomorrow, a day and a month name, or "another day"."""
    plain = lexicon.to_ascii_digits(text)
    if (_ISO_DAY.search(plain) or _DAY_MONTH.search(plain) or lexicon.weekday(text) or lexicon.relative_day(text)
            is not None or lexicon.wants_another_day(text) or (_DAY_NUMBER.search(plain) and lexicon.month(text))):
        return text
    return None


def looks_like_time(text: str) -> str | None:
    """`text` when it answers "which time": a button payload, a typed time, or "another day"."""
    plain = lexicon.to_ascii_digits(text)
    return text if SLOT_PAYLOAD.match(plain) or _TIME.search(plain) or lexicon.wants_another_day(text) else None


_DAY_NUMBER = re.compile(r"\b(\d{1,2})\b")


def find_day(text: str, free_days: list[str], lang: str | None = None, today: date | None = None) -> str | None:
    """The day the user chose -> one of `free_days` (None when that day has no free time).

    Understood: a button payload or its title in `lang`, the number of a shown day, typed dates
    ('2026-11-25', '25.11', '25/11/2026', '9 грудня', '٢٥/١١'), weekdays ('jeudi', 'в понеділок': the
    first free one), today/tomorrow/the day after/next week (from `today`, Istanbul)."""
    text = lexicon.to_ascii_digits(text).strip()
    if text.isdigit() and 1 <= int(text) <= min(SHOWN_DAYS, len(free_days)):
        return free_days[int(text) - 1]
    m = _ISO_DAY.search(text)
    if m:
        return next((d for d in free_days if d == m.group(0)), None)
    m = _DAY_MONTH.search(text)
    if m:
        wanted = f"-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
        return next((d for d in free_days if d.endswith(wanted)), None)
    if lang:
        titles = {lexicon.normalise(format_date(date.fromisoformat(d), "EEE d MMM", locale=lang)): d for d in free_days}
        if lexicon.normalise(text) in titles:
            return titles[lexicon.normalise(text)]
    month, number = lexicon.month(text), _DAY_NUMBER.search(text)
    if month and number:
        wanted = f"-{month:02d}-{int(number.group(1)):02d}"
        return next((d for d in free_days if d.endswith(wanted)), None)
    today = today or istanbul_today()
    ahead = lexicon.relative_day(text)
    if ahead == 7:      # next week: its first free day
        monday = today + timedelta(days=7 - today.weekday())
        return next((d for d in free_days if date.fromisoformat(d) >= monday), None)
    if ahead is not None:
        wanted_day = (today + timedelta(days=ahead)).isoformat()
        return wanted_day if wanted_day in free_days else None
    weekday = lexicon.weekday(text)
    if weekday:
        return next((d for d in free_days if date.fromisoformat(d).isoweekday() == weekday), None)
    return None


def find_slot(text: str, slots: list[dict]) -> str | None:
    """A button payload (local ISO start), the number of a shown time (1-6) or a typed time 'HH:MM'
    -> the slot's UTC start."""
    text = lexicon.to_ascii_digits(text).strip()
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
    hours = _HOUR.findall(text)     # "at 14", "14h", "saat 14": a whole hour, when only one number is given
    if len(hours) == 1 and 7 <= int(hours[0]) <= 20:
        hhmm = f"{int(hours[0]):02d}:00"
        return next((slot["start"] for slot in slots if slot["local_start"][11:16] == hhmm), None)
    return None


_HOUR = re.compile(r"(?<![\d:.])(\d{1,2})(?![\d:.])")


# -- validating the answers (booking and reschedule forms) ----------------------------------------
def chosen_day(value, slots: list[dict], dispatcher: CollectingDispatcher, t: Turn, tracker, slot: str) -> dict:
    """The answer to "which day": a free day, the days again ("another day"), or a failure said clearly."""
    if lexicon.wants_another_day(str(value)):
        return {slot: None}
    day = find_day(str(value), days(slots), t.lang)
    if day is None:
        dispatcher.utter_message(text=t._("There are no free times on that day. Please choose one of "
                                          "the days shown."))
        return failed(tracker, slot)
    return {slot: day}


def chosen_time(value, slots: list[dict], dispatcher: CollectingDispatcher, t: Turn, tracker, day_slot: str,
                time_slot: str) -> dict:
    """The answer to "which time": a free start (UTC) on the chosen day or a button of another day; a day
    or "another day" goes back to the day question; else a failure said clearly."""
    text = str(value)
    start = find_slot(text, on_day(slots, tracker.get_slot(day_slot) or "") or slots)
    if start is None and SLOT_PAYLOAD.match(text):      # a time shown for another day
        start = find_slot(text, slots)
    if start is None and (lexicon.wants_another_day(text) or looks_like_day(text)):
        return {day_slot: find_day(text, days(slots), t.lang), time_slot: None}
    if start is None:
        dispatcher.utter_message(text=t._("That time is not free. Please choose one of the times shown."))
        return failed(tracker, time_slot)
    return {time_slot: start}
