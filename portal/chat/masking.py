"""Mask personal identifiers before chat text is stored or logged."""
from __future__ import annotations

import re

# phone numbers: 7+ digits, possibly grouped by spaces, dots, dashes or brackets, optional +
_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{5,}\d(?![\w])")
# access codes (the case API's XXXX-XXXX) and other one-time codes: letters mixed with digits,
# eight capitals in two groups of four, or two hyphened groups of the codes' own letters in any case
# (about one code in nine has no digit; "kmpq-rtxz" is typed too; "long-term", "part-time" hold letters
# no code has)
_CODE_LETTERS = "ABCDEFGHJKMNPQRTUVWXYZabcdefghjkmnpqrtuvwxyz"
_CODE = re.compile(r"\b(?=(?:[A-Za-z0-9][- ]?){6})(?:(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]{2,6}(?:[- ]?[A-Za-z0-9]{2,6})"
                   rf"|[A-Z]{{4}}[- ]?[A-Z]{{4}}|[{_CODE_LETTERS}]{{4}}-[{_CODE_LETTERS}]{{4}})\b")
# appointment references and case numbers stay readable (they are not secrets without the code):
# GIB-7K3M-Q9, GC-2026-7K3M9Q
_REFERENCE = re.compile(r"\b(?:GIB[- ]?[A-Za-z0-9]{4}[- ]?[A-Za-z0-9]{2}|GC[- ]?\d{4}[- ]?[A-Za-z0-9]{6})\b",
                        re.IGNORECASE)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# IBANs: country letters, two check digits, a bank group that may hold letters, then digit groups
_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}[ ]?[A-Za-z0-9]{4}(?:[ ]?\d{4}){2,6}(?:[ ]?\d{1,4})?\b")
# one pass, leftmost match first: a reference is kept, everything else personal is replaced
PERSONAL = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("reference", f"(?i:{_REFERENCE.pattern})"), ("email", _EMAIL.pattern), ("iban", _IBAN.pattern),
    ("phone", _PHONE.pattern),
    ("code", _CODE.pattern))))


# what the bot never needs: its forms take phones, references and access codes (as pseudonyms, see
# pseudonyms.py), never an e-mail address or an IBAN
NOT_FOR_THE_BOT = frozenset({"email", "iban"})


# dates written with digits (the bot's own day buttons are ISO dates): 2026-12-08, 08.12.2026, 8/12/26
_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})|(?P<d2>\d{1,2})[./-](?P<m2>\d{1,2})[./-](?:\d{4}|\d{2})")


def _is_date(found: str) -> bool:
    date = _DATE.fullmatch(found.strip())
    if date is None:
        return False
    day, month = int(date["d"] or date["d2"]), int(date["m"] or date["m2"])
    return 1 <= day <= 31 and 1 <= month <= 12


def kind_of(match: re.Match) -> str | None:
    """What a PERSONAL match is ("email", "iban", "phone", "code"); None for what stays readable
    (references, dates, and digit runs too short for a phone number)."""
    kind, found = match.lastgroup, match.group(0)
    if kind == "reference" or (kind == "phone" and (sum(c.isdigit() for c in found) < 7 or _is_date(found))):
        return None
    return kind


def _replace(match: re.Match, kinds: frozenset | None = None) -> str:
    kind = kind_of(match)
    if kind is None or (kinds is not None and kind not in kinds):
        return match.group(0)
    return f"[{kind}]"


def mask(text: str) -> str:
    """Replace phone numbers, e-mail addresses, IBANs and access codes (also passport-like and
    identity numbers) by placeholders; keep case and appointment references, which are not secret without their code."""
    if not text:
        return text
    return PERSONAL.sub(_replace, text)
