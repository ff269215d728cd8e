"""UTC storage, Istanbul display: every datetime in the database is naive UTC."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

ISTANBUL = ZoneInfo("Europe/Istanbul")


def utcnow() -> datetime:
    """Now as naive UTC (what the database columns hold)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def to_utc_naive(value: datetime) -> datetime:
    """Aware -> naive UTC; a naive value is taken as Istanbul local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ISTANBUL)
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def as_istanbul(value: datetime) -> datetime:
    """Naive UTC from the database -> aware Istanbul time."""
    return value.replace(tzinfo=timezone.utc).astimezone(ISTANBUL)


def iso_utc(value: datetime) -> str:
    return value.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
