"""Mask personal identifiers before chat text is stored or logged."""
from __future__ import annotations

import re

# phone numbers: 7+ digits, possibly grouped by spaces, dots, dashes or brackets, optional +
_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{5,}\d(?![\w])")
# access codes (the case API's XXXX-XXXX) and other one-time codes: letters mixed with digits,
# or eight capitals in two groups of four
_CODE = re.compile(r"\b(?=(?:[A-Za-z0-9][- ]?){6})(?:(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]{2,6}(?:[- ]?[A-Za-z0-9]{2,6})"
                   r"|[A-Z]{4}[- ]?[A-Z]{4})\b")
# appointment references and case numbers stay readable (they are not secrets without the code):
# GIB-7K3M-Q9, GC-2026-7K3M9Q
_REFERENCE = re.compile(r"\b(?:GIB[- ]?[A-Za-z0-9]{4}[- ]?[A-Za-z0-9]{2}|GC[- ]?\d{4}[- ]?[A-Za-z0-9]{6})\b",
                        re.IGNORECASE)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# one pass, leftmost match first: a reference is kept, everything else personal is replaced
_PERSONAL = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("reference", f"(?i:{_REFERENCE.pattern})"), ("email", _EMAIL.pattern), ("phone", _PHONE.pattern),
    ("code", _CODE.pattern))))


def _replace(match: re.Match) -> str:
    kind, found = match.lastgroup, match.group(0)
    if kind == "reference":
        return found
    if kind == "phone" and sum(c.isdigit() for c in found) < 7:
        return found
    return f"[{kind}]"


def mask(text: str) -> str:
    """Replace phone numbers, e-mail addresses and access codes (also passport-like numbers) by
    placeholders; keep case and appointment references, which are not secret without their code."""
    if not text:
        return text
    return _PERSONAL.sub(_replace, text)
