"""When people are on duty for chat handoff (Europe/Istanbul time)."""
from __future__ import annotations

import re
from datetime import datetime, time, timezone

from ..timeutil import ISTANBUL

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(r"^\s*(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+"
                   r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$")


def parse(spec: str) -> list[tuple[set[int], time, time]]:
    """'mon-fri 09:00-18:00; sat 10:00-14:00' -> [(weekdays, start, end), ...]; ValueError if malformed."""
    windows = []
    for part in filter(None, (p.strip() for p in (spec or "").split(";"))):
        m = _SPEC.match(part.lower())
        if not m:
            raise ValueError(f"bad working hours: {part!r}")
        first, last = DAYS.index(m.group(1)), DAYS.index(m.group(2) or m.group(1))
        days = set(range(first, last + 1)) if first <= last else set(range(first, 7)) | set(range(0, last + 1))
        windows.append((days, time(int(m.group(3)), int(m.group(4))), time(int(m.group(5)), int(m.group(6)))))
    return windows


def is_open(spec: str, now: datetime | None = None) -> bool:
    """Is `now` (UTC; default: the current time) inside the working hours?"""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local = now.astimezone(ISTANBUL)
    return any(local.weekday() in days and start <= local.time() < end for days, start, end in parse(spec))
