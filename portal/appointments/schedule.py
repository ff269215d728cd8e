"""Opening hours, closed days and slot times of an office (pure functions, Istanbul local time)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from ..timeutil import ISTANBUL, to_utc_naive

# Fixed-date public holidays (official holidays of Türkiye). Religious holidays move every year:
# add them per year with `flask appointments holiday add DATE` (the demo seed adds 2026-2027).
FIXED_HOLIDAYS = {(1, 1), (4, 23), (5, 1), (5, 19), (7, 15), (8, 30), (10, 29)}
_RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


def parse_hours(text: str) -> list[tuple[time, time]]:
    """'08:30-12:00, 13:30-17:30' -> [(08:30, 12:00), (13:30, 17:30)]."""
    out = []
    for h1, m1, h2, m2 in _RANGE.findall(text or ""):
        start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
        if start < end:
            out.append((start, end))
    return out


def closed_weekdays(text: str) -> set[int]:
    return {int(x) for x in (text or "").split(",") if x.strip().isdigit()}


def is_open(day: date, weekdays_closed: set[int], holidays: set[date]) -> bool:
    return (day.weekday() not in weekdays_closed and (day.month, day.day) not in FIXED_HOLIDAYS
            and day not in holidays)


def day_slots(day: date, hours: list[tuple[time, time]], minutes: int) -> list[datetime]:
    """Naive-UTC start times of the slots of `day` (each slot ends within the opening range)."""
    starts = []
    step = timedelta(minutes=max(5, minutes))
    for start, end in hours:
        cur = datetime.combine(day, start, ISTANBUL)
        last = datetime.combine(day, end, ISTANBUL) - step
        while cur <= last:
            starts.append(to_utc_naive(cur))
            cur += step
    return starts


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
