"""`flask purge`: remove personal data past RETENTION_DAYS, keeping anonymous statistics.

Appointments whose time is older than the retention period and cases finished (decided, document
ready or closed) and untouched for that long lose name, phone, e-mail, access code and notes; the
rows stay with office, service, dates and status so counts and waiting times can still be reported.
Chat conversations and the staff console's queued questions are purged by their own operations.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, select, update

from . import db
from .appointments.models import Appointment
from .audit import record
from .cases.models import FINAL_STATUSES, Case, CaseEvent, CaseStaffNote
from .timeutil import utcnow


def purge_personal_data(now: datetime | None = None, days: int | None = None) -> dict[str, int]:
    """Anonymise old appointments and finished cases; returns how many rows were purged."""
    now = now or utcnow()
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    cutoff = now - timedelta(days=days)
    sess = db.begin_write()
    appts = sess.execute(update(Appointment).where(
        Appointment.start_at < cutoff, Appointment.purged_at.is_(None),
    ).values(full_name=None, phone=None, name_key=None, email=None, access_hash=None, idem_key_hash=None,
             idem_request_hash=None, purged_at=now)).rowcount
    case_ids = list(sess.scalars(select(Case.id).where(
        Case.status.in_(FINAL_STATUSES), Case.updated_at < cutoff, Case.purged_at.is_(None))))
    if case_ids:
        sess.execute(update(Case).where(Case.id.in_(case_ids)).values(
            full_name=None, phone=None, email=None, access_hash=None, purged_at=now))
        sess.execute(update(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).values(public_note=""))
        sess.execute(delete(CaseStaffNote).where(CaseStaffNote.case_id.in_(case_ids)))
    record("purge", "database", f"{appts}/{len(case_ids)}", actor="system", sess=sess)
    sess.commit()
    return {"appointments": appts, "cases": len(case_ids)}


@click.command("purge")
@with_appcontext
@click.option("--days", type=int, default=None, help="Override RETENTION_DAYS for this run.")
def purge_command(days: int | None) -> None:
    """Remove personal data older than the retention period (anonymous statistics stay)."""
    counts = purge_personal_data(days=days)
    click.echo(f"purged {counts['appointments']} appointments and {counts['cases']} cases")
    from .chat.operations import purge_chat
    click.echo(f"purged {purge_chat(days=days)} chat conversations")
    from .chat.callbacks import purge_callbacks
    click.echo(f"deleted {purge_callbacks(days=days)} call-back requests")
    from .staff.queue.operations import purge_queued_questions
    click.echo(f"deleted {purge_queued_questions(days=days)} queued questions")
    from .staff.auth.operations import purge_staff_sessions
    click.echo(f"deleted {purge_staff_sessions(utcnow() - timedelta(days=1))} staff sessions")
    from .sessions import purge_held_sessions
    click.echo(f"deleted {purge_held_sessions()} expired browser sessions")
