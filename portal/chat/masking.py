"""Mask personal identifiers before chat text is stored or logged."""
from __future__ import annotations

import re

# phone numbers: 7+ digits, possibly grouped by spaces, dots, dashes or brackets, optional +
_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{5,}\d(?![\w])")
# access codes / one-time codes: 5-12 chars mixing letters and digits (e.g. K7P2QX, 4F9A-22B1)
_CODE = re.compile(r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]{2,6}(?:-?[A-Za-z0-9]{2,6})\b")
# references the case API hands out stay readable (they are not secrets): e.g. RDV-2026-000123
_REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{4}-[A-Z0-9]{4,8}\b")


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
