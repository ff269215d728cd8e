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


def mask(text: str) -> str:
    """Replace phone numbers and access codes by placeholders; keep case/appointment references."""
    if not text:
        return text
    kept: list[str] = []

    def _keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    out = _REFERENCE.sub(_keep, text)
    out = _PHONE.sub(lambda m: "[phone]" if sum(c.isdigit() for c in m.group(0)) >= 7 else m.group(0), out)
    out = _CODE.sub("[code]", out)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], out)
