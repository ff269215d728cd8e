"""Shared form machinery: when a message may fill the requested slot, failure counting, formatting."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from rasa_sdk import Tracker

from . import lexicon
from .base import Turn

MAX_FAILURES = 3
ISTANBUL = ZoneInfo("Europe/Istanbul")
# intents that interrupt a form (handled by rules) unless the text is a valid answer anyway
INTERRUPTS = {"ask_question", "out_of_scope", "emergency", "human_handoff", "stop", "greeting"}
HARD_INTERRUPTS = {"emergency", "human_handoff", "stop"}
# access codes: the case API's alphabet (no 0/O, 1/I/L, 5/S), 8 characters, often typed XXXX-XXXX
CODE_ALPHABET = set("2346789ABCDEFGHJKMNPQRTUVWXYZ")


def asked(tracker: Tracker, slot: str) -> bool:
    """Is the form waiting for `slot` and did the user just type something?"""
    return tracker.get_slot("requested_slot") == slot and bool((tracker.latest_message or {}).get("text"))


def candidate(tracker: Tracker, slot: str, strict, payload: bool = False) -> dict:
    """The extraction rule for free-text slots. A request for a person or an emergency always interrupts,
    and so does a request to stop unless the NLU alone reads a valid answer as one; otherwise a valid value (`strict(text)` not None) is taken whatever the intent, and
    other text is taken (then validated) unless the message is a question or off topic. With
    `payload`, a strict value is a button payload and is taken before anything else."""
    if not asked(tracker, slot):
        return {}
    text = tracker.latest_message["text"].strip()
    if payload and strict(text) is not None:
        return {slot: strict(text)}
    intent = (tracker.latest_message.get("intent") or {})
    name, confidence = intent.get("name") or "", float(intent.get("confidence") or 0)
    value = strict(text)
    if lexicon.wants_to_stop(text) or (name in HARD_INTERRUPTS and confidence >= 0.6
                                       and not (name == "stop" and value is not None)):
        return {}       # the NLU reads some names as "stop": a valid answer stops only when the lexicon says so
    if value is not None:
        return {slot: value}
    return {} if name in INTERRUPTS else {slot: text}


UNCLEAR = "?"   # a typed answer to a yes/no question that is neither: validation asks again


def confirmation(tracker: Tracker, slot: str) -> dict:
    """Extraction for yes/no slots: typed yes/no in any of the nine languages ("так, змінити", "evet",
    "no, wrong day") or the Yes / No buttons. A typed answer counts only when the lexicon knows it (the NLU
    reads some names as "yes": nothing is booked on that). A question or a request to stop interrupts;
    anything else is kept as UNCLEAR so that validation says what it expects (never a silent rejection)."""
    if not asked(tracker, slot):
        return {}
    text = tracker.latest_message["text"].strip()
    typed = lexicon.yes_no(text)
    if typed is not None:
        return {slot: typed}
    intent = (tracker.latest_message.get("intent") or {})
    name, confidence = intent.get("name") or "", float(intent.get("confidence") or 0)
    if name in ("affirm", "deny") and text.startswith("/"):     # the Yes / No buttons
        return {slot: name == "affirm"}
    if (name in HARD_INTERRUPTS and confidence >= 0.6) or name in INTERRUPTS or lexicon.wants_to_stop(text):
        return {}
    return {slot: UNCLEAR}


def validate_confirmation(dispatcher, tracker: Tracker, slot: str, value, t: Turn) -> dict:
    """A yes/no slot's value, or a clear question again with the two buttons."""
    if isinstance(value, bool):
        return {slot: value}
    dispatcher.utter_message(text=t._("Please answer yes or no."),
                             buttons=[{"title": t._("Yes"), "payload": "/affirm"},
                                      {"title": t._("No"), "payload": "/deny"}])
    return failed(tracker, slot)


def failed(tracker: Tracker, slot: str) -> dict:
    """A rejected value: clear the slot and count the failure."""
    return {slot: None, "failures": float(tracker.get_slot("failures") or 0) + 1}


def too_many_failures(tracker: Tracker) -> bool:
    return float(tracker.get_slot("failures") or 0) >= MAX_FAILURES


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching names (İstanbul == istanbul == Istanbul)."""
    text = (text or "").replace("İ", "i").replace("ı", "i").casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


def normalise_code(text: str) -> str | None:
    """An access code as XXXX-XXXX, or None when `text` is not one."""
    raw = re.sub(r"[\s\-–.]", "", text or "").upper()
    if len(raw) == 8 and set(raw) <= CODE_ALPHABET:
        return f"{raw[:4]}-{raw[4:]}"
    return None


def local_time(iso: str, t: Turn) -> str:
    """'2026-11-25T10:30:00+03:00' -> 'Wed, 25 Nov 2026, 10:30' in the user's language (Istanbul time)."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return str(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(moment, "EEE d MMM y, HH:mm", tzinfo=ISTANBUL, locale=t.lang)
