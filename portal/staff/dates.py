"""Dates in the console's language: Istanbul times written the locale's way, and day fields typed the
locale's way (not the browser's: a date input shows whatever the browser's own locale is).

A day field takes the locale's numeric date (23.11.2026 in Turkish, 11/23/2026 in English, 2026/11/23 in
Persian; digits of any script) or ISO 2026-11-23 (links and bookmarks); the year has four digits.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import get_date_format
from flask_babel import format_date, format_datetime, get_locale

from ..timeutil import as_istanbul

EXAMPLE_DAY = date(2026, 11, 23)     # shown in hints and errors (day > 12: the order is unmistakable)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")


def console_datetime(value: datetime) -> str:
    """Naive UTC from the database as Istanbul time, the locale's medium date and time with seconds."""
    return format_datetime(as_istanbul(value), "medium", rebase=False)


def day_pattern() -> str:
    """The locale's short numeric date pattern with two-digit day and month and a four-digit year."""
    pattern = _BIDI_MARKS.sub("", get_date_format("short", locale=get_locale()).pattern)
    for letter, full in (("d", "dd"), ("M", "MM"), ("y", "yyyy")):
        pattern = re.sub(f"{letter}+", full, pattern)
    return pattern


def format_day(day: date | None) -> str:
    """A day as the day field expects it ("" for None)."""
    return format_date(day, day_pattern()) if day else ""


def example_day() -> str:
    return format_day(EXAMPLE_DAY)


def parse_day(raw: str) -> date:
    """A day typed the locale's way or as ISO; raises ValueError for anything else."""
    text = _BIDI_MARKS.sub("", raw or "").strip()
    iso = _ISO.match(text)
    if iso:
        return date(*(int(part) for part in iso.groups()))
    pattern = day_pattern()
    order = re.findall(r"[dMy]+", pattern)                  # dd, MM, yyyy in the locale's order
    shape = re.escape(pattern)
    for field in order:
        shape = shape.replace(re.escape(field), r"\s*(\d{4})\s*" if field[0] == "y" else r"\s*(\d{1,2})\s*")
    match = re.fullmatch(shape, text)                       # the locale's separators, any script's digits
    if not match:
        raise ValueError(raw)
    parts = {field[0]: int(value) for field, value in zip(order, match.groups())}
    return date(parts["y"], parts["M"], parts["d"])
