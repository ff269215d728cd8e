"""Reading the audit log (supervisors): filters, keyset pages (newest first), actor names, CSV rows.

Reading it is itself audited ("audit.view", "audit.export"). Dates in filters are Istanbul calendar
days (what the staff see); the database holds naive UTC.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterator

from flask_babel import gettext as _
from sqlalchemy import select

from ... import db
from ...audit import AuditEvent, record, record_now
from ...collation import collated
from ...errors import PermissionDenied, ValidationFailed
from ...i18n import current_lang
from ...timeutil import as_istanbul, iso_utc, to_utc_naive
from ..auth.access import ensure_role
from ..auth.models import StaffUser
from ..auth.operations import staff_users
from ..dates import example_day, parse_day
from .labels import action_label, record_type_label

PAGE_SIZE = 50
EXPORT_BATCH = 1000
ACTOR_RE = re.compile(r"^(staff:\d{1,9}|public|system)$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("time_utc", "time_istanbul", "actor", "actor_name", "action", "object_type", "object_ref",
              "outcome", "client")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_ref: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def query_args(self) -> dict:
        """The filters as URL query arguments (empty ones left out)."""
        args = {"actor": self.actor, "action": self.action, "object_type": self.object_type,
                "object_ref": self.object_ref,
                "from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in args.items() if v}

    def summary(self) -> str:
        """A short description for the audit row of a view or an export."""
        return ";".join(f"{k}={v}" for k, v in self.query_args().items())


def _parse_day(raw: str, field: str, errors: dict) -> date | None:
    if not raw:
        return None
    try:
        return parse_day(raw)
    except ValueError:
        errors[field] = _("Enter a real date, for example %(example)s.", example=example_day())
        return None


def parse_filters(args) -> AuditFilters:
    """Read and check the filter arguments; raise ValidationFailed (with field errors) on bad input."""
    def text(name: str, limit: int) -> str:
        value = args.get(name) or ""
        return value.strip()[:limit] if isinstance(value, str) else ""

    errors: dict = {}
    actor = text("actor", 40)
    if actor and not ACTOR_RE.match(actor):
        errors["actor"] = _("Please choose a user from the list.")
    date_from = _parse_day(text("from", 20), "from", errors)
    date_to = _parse_day(text("to", 20), "to", errors)
    if date_from and date_to and date_from > date_to:
        errors["to"] = _("The end date must be the same as or after the start date.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors)
    return AuditFilters(actor=actor, action=text("action", 60), object_type=text("object_type", 30),
                        object_ref=text("object_ref", 60), date_from=date_from, date_to=date_to)


def _day_start_utc(day: date) -> datetime:
    return to_utc_naive(datetime.combine(day, time.min))


def _filtered(filters: AuditFilters):
    stmt = select(AuditEvent)
    if filters.actor:
        stmt = stmt.where(AuditEvent.actor == filters.actor)
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.object_type:
        stmt = stmt.where(AuditEvent.object_type == filters.object_type)
    if filters.object_ref:
        stmt = stmt.where(AuditEvent.object_ref == filters.object_ref)
    if filters.date_from:
        stmt = stmt.where(AuditEvent.at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(AuditEvent.at < _day_start_utc(filters.date_to + timedelta(days=1)))
    return stmt


@dataclass
class AuditPage:
    rows: list[AuditEvent]
    newer: int | None      # pass as ?after= to see newer rows
    older: int | None      # pass as ?before= to see older rows


def _cursor(raw) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 12 else None


def audit_page(filters: AuditFilters, before: str | None = None, after: str | None = None,
               size: int = PAGE_SIZE) -> AuditPage:
    """One page of matching events, newest first, before or after a row id (keyset pagination)."""
    sess = db.session()
    before_id, after_id = _cursor(before), _cursor(after)
    stmt = _filtered(filters)
    if after_id is not None and before_id is None:
        rows = list(sess.scalars(stmt.where(AuditEvent.id > after_id).order_by(AuditEvent.id.asc())
                                 .limit(size + 1)))
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        return AuditPage(rows, rows[0].id if more_newer and rows else None, rows[-1].id if rows else None)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    rows = list(sess.scalars(stmt.order_by(AuditEvent.id.desc()).limit(size + 1)))
    more_older = len(rows) > size
    rows = rows[:size]
    newer = rows[0].id if before_id is not None and rows else None
    return AuditPage(rows, newer, rows[-1].id if more_older else None)


def filter_choices() -> dict:
    """The values present in the log, for the filter selects: (code, label in the console's language)."""
    sess = db.session()
    actors = sorted(sess.scalars(select(AuditEvent.actor).distinct()), key=lambda a: (not a.startswith("staff:"), a))

    def labelled(codes, label) -> list[tuple[str, str]]:
        return collated(((code, label(code)) for code in sorted(codes)), current_lang(), key=lambda pair: pair[1])
    return {
        "actors": [(a, label) for a, label in zip(actors, actor_labels(actors))],
        "actions": labelled(sess.scalars(select(AuditEvent.action).distinct()), action_label),
        "object_types": labelled(sess.scalars(select(AuditEvent.object_type).distinct()), record_type_label),
    }


def actor_labels(actors: list[str]) -> list[str]:
    """Readable names for actor strings: the staff user's name and username, or what the actor is."""
    users = staff_users(int(a[6:]) for a in actors if a.startswith("staff:") and a[6:].isdigit())
    return [_actor_label(a, users) for a in actors]


def _actor_label(actor: str, users: dict) -> str:
    if actor == "public":
        return _("Public (web site or bot)")
    if actor == "system":
        return _("System")
    user = users.get(int(actor[6:])) if actor[6:].isdigit() else None
    if user is None:
        return _("Unknown user (%(actor)s)", actor=actor)
    return f"{user.full_name} ({user.username})"


def local_time(value: datetime) -> str:
    return as_istanbul(value).strftime("%Y-%m-%d %H:%M:%S")


def csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a leading quote."""
    return "'" + value if value.startswith(FORMULA_START) else value


def export_rows(filters: AuditFilters) -> Iterator[tuple[str, ...]]:
    """All matching events, newest first, as CSV-safe rows (read in batches)."""
    before: str | None = None
    while True:
        page = audit_page(filters, before=before, size=EXPORT_BATCH)
        labels = actor_labels([r.actor for r in page.rows])
        for row, label in zip(page.rows, labels):
            cells = (iso_utc(row.at), local_time(row.at), row.actor, label, row.action, row.object_type,
                     row.object_ref, row.outcome, row.client)
            yield tuple(csv_safe(c or "") for c in cells)
        if page.older is None:
            return
        before = str(page.older)


def _audited(user: StaffUser, action: str, filters: AuditFilters) -> None:
    """Supervisors only (a refusal is audited); reading the log writes its own row."""
    try:
        ensure_role(user, "supervisor")
    except PermissionDenied:
        record_now(action, "audit_log", filters.summary(), outcome="denied")
        raise
    sess = db.begin_write()
    record(action, "audit_log", filters.summary(), sess=sess)
    sess.commit()


def view_audit_log(user: StaffUser, filters: AuditFilters, before: str | None = None,
                   after: str | None = None) -> AuditPage:
    """One page of the log for a supervisor; writes an "audit.view" row."""
    _audited(user, "audit.view", filters)
    return audit_page(filters, before, after)


def export_audit_log(user: StaffUser, filters: AuditFilters) -> Iterator[tuple[str, ...]]:
    """The whole filtered log as CSV-safe rows for a supervisor; writes an "audit.export" row first."""
    _audited(user, "audit.export", filters)
    return export_rows(filters)
