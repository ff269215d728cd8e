"""Pseudonyms: Rasa never sees a real phone number, access code or passport-like number.

The bot's forms need a phone number (to book) and an access code (to check, cancel or reschedule).
Before a message goes to Rasa, each of them is replaced by a stand-in of the same shape: the same
separators and case, the phone's country and operator digits kept and its last digits drawn at random
(still a valid number for the form's check), each letter or digit of a code replaced by a random one of
the same kind. So Rasa understands the message exactly as before, and its tracker, slots and logs only
ever hold stand-ins. E-mail addresses and IBANs, which no form needs, become plain placeholders.

The pairs live here, per conversation (keyed like the action server's `X-Conversation` header), with
the real value sealed. When the action server calls the API for that conversation, the API turns
stand-ins back into the real values (`reveal_value`) and hands out a stand-in for a new access code
(`cover_value`); the portal puts the real values back into Rasa's replies before the user sees them
(`reveal_text`). A pair serves for KEEP_HOURS, the length of a conversation, and `flask purge`
deletes it after that: a later message about the same appointment asks for the code again.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import phonenumbers
from flask import current_app
from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .. import db
from ..appointments.codes import ALPHABET, normalise_code
from ..appointments.validation import clean_phone
from ..config import secret_keys
from ..ratelimit import forwarded_conversation
from ..sessions import seal, unseal_any
from ..timeutil import utcnow
from .masking import NOT_FOR_THE_BOT, PERSONAL, kind_of

KINDS = ("phone", "code")
MAX_PER_CONVERSATION = 40      # beyond: plain placeholders (someone pasting a list gains nothing)
SEAL_PURPOSE = b"chat-pseudonyms:"
PHONE_REGION = "TR"
KEEP_HOURS = 24


class Pseudonym(db.Base):
    """One stand-in given to Rasa in one conversation, with the real value it stands for, sealed."""
    __tablename__ = "chat_pseudonyms"
    __table_args__ = (UniqueConstraint("conversation", "kind", "stand_in"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    stand_in: Mapped[str] = mapped_column(String(64))      # canonical form (see `canonical`)
    sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)


def conversation_key(sender: str) -> str:
    """What the action server sends as `X-Conversation` for this Rasa sender id."""
    return hashlib.sha256(sender.encode()).hexdigest()[:32]


def canonical(kind: str, text: str) -> str:
    """One spelling per value: E.164 for a phone (digits alone when it does not parse), the code
    upper-cased without separators."""
    if kind != "phone":
        return normalise_code(text)
    try:
        return phonenumbers.format_number(phonenumbers.parse(text, PHONE_REGION), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return "".join(c for c in text if c.isdigit())


def _drawn_digits(canonical_phone: str) -> int:
    """How many trailing digits a phone stand-in draws at random (the country and operator stay)."""
    return min(7, sum(c.isdigit() for c in canonical_phone) - 3)


def _reshape(kind: str, shown: str, target: str) -> str:
    """`shown` with its value replaced by `target` (a canonical value of the same shape), keeping the
    way `shown` is written: a phone's last drawn digits, every character of a code (in its case)."""
    if kind == "phone":
        count = _drawn_digits(target)
        tail = iter([c for c in target if c.isdigit()][-count:])
        positions = [i for i, c in enumerate(shown) if c.isdigit()][-count:]
        chars = list(shown)
        for i in positions:
            chars[i] = next(tail)
        return "".join(chars)
    values = iter(target)
    return "".join((next(values).lower() if c.islower() else next(values)) if c.isalnum() else c for c in shown)


_CODE_CLASSES = ["".join(c for c in ALPHABET if c.isdigit()), "".join(c for c in ALPHABET if c.isalpha()),
                 "015", "ILOS"]       # a code's characters, and the ones codes never use


def _drawn(kind: str, typed: str) -> str:
    """A random stand-in shaped like `typed`."""
    if kind == "phone":
        count = _drawn_digits(canonical("phone", typed))
        positions = [i for i, c in enumerate(typed) if c.isdigit()][-count:]
        chars = list(typed)
        for i in positions:
            chars[i] = secrets.choice("0123456789")
        return "".join(chars)
    out = []
    for c in typed:
        group = next((g for g in _CODE_CLASSES if c.upper() in g), None)
        drawn = secrets.choice(group) if group else c
        out.append(drawn.lower() if c.islower() else drawn)
    return "".join(out)


def _valid_phone(text: str) -> bool:
    """The booking's own check (what the API will apply to the real number)."""
    return clean_phone(text)[0] is not None


def _new_stand_in(kind: str, typed: str, taken: set[str]) -> str | None:
    """A stand-in for `typed` that is not the real value, not taken, and as valid as the real one."""
    real, must_be_valid = canonical(kind, typed), kind == "phone" and _valid_phone(typed)
    for _ in range(50):
        drawn = _drawn(kind, typed)
        stand_in = canonical(kind, drawn)
        if stand_in != real and stand_in not in taken and (not must_be_valid or _valid_phone(drawn)):
            return drawn
    return None


def _secret() -> str:
    return secret_keys(current_app.config)[0]


def _known(sess: Session, conversation: str, now: datetime | None = None) -> list[tuple[str, str, str]]:
    """(kind, stand-in, real) of a conversation, both canonical, given out in the last KEEP_HOURS."""
    since = (now or utcnow()) - timedelta(hours=KEEP_HOURS)
    rows = sess.execute(select(Pseudonym.kind, Pseudonym.stand_in, Pseudonym.sealed)
                        .where(Pseudonym.conversation == conversation, Pseudonym.created_at >= since)).all()
    secrets_ = secret_keys(current_app.config)
    opened = ((kind, stand_in, unseal_any(sealed, secrets_, SEAL_PURPOSE)) for kind, stand_in, sealed in rows)
    return [(kind, stand_in, data["real"]) for kind, stand_in, data in opened if data is not None]


def _cover(sess: Session, conversation: str, kind: str, typed: str, known: list, now: datetime) -> str:
    """The stand-in for `typed`, shaped like it: the conversation's earlier one for the same value, or
    a new one (a placeholder when the conversation has too many)."""
    real = canonical(kind, typed)
    for known_kind, stand_in, known_real in known:
        if known_kind == kind and known_real == real:
            return _reshape(kind, typed, stand_in)
    drawn = _new_stand_in(kind, typed, {s for _, s, _ in known}) if len(known) < MAX_PER_CONVERSATION else None
    if drawn is None:
        return f"[{kind}]"
    stand_in = canonical(kind, drawn)
    sess.add(Pseudonym(conversation=conversation, kind=kind, stand_in=stand_in, created_at=now,
                       sealed=seal({"real": real}, _secret(), SEAL_PURPOSE)))
    sess.flush()
    known.append((kind, stand_in, real))
    return drawn


def cover_text(sess: Session, sender: str, text: str, now: datetime | None = None) -> str:
    """The message as Rasa gets it (inside the caller's write transaction): stand-ins for phones and
    codes, placeholders for e-mail addresses and IBANs, references as typed."""
    if not text:
        return text
    conversation, now, known = conversation_key(sender), now or utcnow(), None

    def replace(match: re.Match) -> str:
        nonlocal known
        kind = kind_of(match)
        if kind is None:
            return match.group(0)
        if kind in NOT_FOR_THE_BOT or kind not in KINDS:
            return f"[{kind}]"
        known = _known(sess, conversation, now) if known is None else known
        return _cover(sess, conversation, kind, match.group(0), known, now)
    return PERSONAL.sub(replace, text)


def _real_of(known: list[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    return {(kind, stand_in): real for kind, stand_in, real in known}


def _revealed(text: str, known: list[tuple[str, str, str]]) -> str:
    real_of = _real_of(known)

    def replace(match: re.Match) -> str:
        kind, shown = kind_of(match), match.group(0)
        real = real_of.get((kind, canonical(kind, shown))) if kind in KINDS else None
        return _reshape(kind, shown, real) if real else shown
    return PERSONAL.sub(replace, text)


def reveal_text(sess: Session, sender: str, text: str) -> str:
    """Rasa's reply with the conversation's stand-ins turned back into the real values."""
    known = _known(sess, conversation_key(sender)) if text else []
    return _revealed(text, known) if known else text


def reveal_value(kind: str, value: str) -> str:
    """An API field sent by the action server for a conversation: the real value its stand-in stands
    for (anything else, and any request not from the action server, unchanged)."""
    conversation = forwarded_conversation()
    if not conversation or not isinstance(value, str):
        return value
    real = _real_of(_known(db.session(), conversation)).get((kind, canonical(kind, value)))
    return _reshape(kind, value, real) if real else value


def cover_value(kind: str, real: str, now: datetime | None = None) -> str:
    """A value the API gives the action server for a conversation (a new access code): its stand-in,
    so that it never enters Rasa's tracker. Other requests get the real value."""
    conversation = forwarded_conversation()
    if not conversation or not real:
        return real
    sess = db.begin_write()
    now = now or utcnow()
    stand_in = _cover(sess, conversation, kind, real, _known(sess, conversation, now), now)
    sess.commit()
    return stand_in


def purge_pseudonyms(now: datetime | None = None) -> int:
    """Delete the pairs older than KEEP_HOURS (`flask purge`)."""
    cutoff = (now or utcnow()) - timedelta(hours=KEEP_HOURS)
    return db.session().execute(delete(Pseudonym).where(Pseudonym.created_at < cutoff)).rowcount

