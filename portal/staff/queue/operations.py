"""The queue's operations: the groups for the page (audited), supervisor decisions, the purge.

Recording is in recording.py, grouping in grouping.py, the trend chart in trend.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, update

from ... import db
from ...audit import record, record_now
from ...errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ...timeutil import utcnow
from ..auth.access import ensure_role
from ..auth.models import StaffUser
from .grouping import Group, decided_groups, open_groups
from .models import DECISIONS, QueueDecision, QueuedQuestion

STATES = ("open", "decided")
PAGE_SIZE = 20


@dataclass
class QueuePage:
    groups: list[Group]          # this page's groups (biggest first over all pages)
    total_groups: int
    total_questions: int
    number: int = 1              # this page, 1..pages
    pages: int = 1
    offset: int = 0              # groups on the pages before this one


def list_groups(user: StaffUser, state: str, number: int = 1, size: int = PAGE_SIZE) -> QueuePage:
    """One page of groups for the queue page ("open" or "decided"; agent or higher); a page number
    past the end gives the last page. The view of the texts is audited."""
    ensure_role(user, "agent")
    if state not in STATES:
        message = _("Please choose open or decided questions.")
        raise ValidationFailed(message, {"state": message})
    groups = open_groups() if state == "open" else decided_groups()
    pages = max(1, -(-len(groups) // size))
    number = min(max(1, number), pages)
    offset = (number - 1) * size
    sess = db.begin_write()
    record("queue.view", "queue", f"{state}:{len(groups)}:p{number}", sess=sess)
    sess.commit()
    return QueuePage(groups[offset:offset + size], len(groups), sum(g.count for g in groups), number, pages, offset)


def decide_group(user: StaffUser, key: object, decision: object) -> QueueDecision:
    """Close the open group that contains question `key` as "content_added" or "not_our_service"
    (supervisors and admins; a refusal is audited)."""
    try:
        ensure_role(user, "supervisor")
    except PermissionDenied:
        record_now("queue.decide", "queue_decision", "", outcome="denied")
        raise
    if decision not in DECISIONS:
        message = _("Please choose a decision.")
        raise ValidationFailed(message, {"decision": message})
    try:
        key = int(str(key))
    except ValueError:
        raise NotFound(_("This group is no longer in the open queue.")) from None
    sess = db.session()
    group = next((g for g in open_groups(sess) if key in g.ids), None)
    if group is None:
        raise NotFound(_("This group is no longer in the open queue."))
    sess = db.begin_write(sess)
    row = QueueDecision(decision=decision, decided_by=f"staff:{user.id}", decided_by_name=user.username,
                        questions=group.count)
    sess.add(row)
    sess.flush()
    closed = sess.execute(update(QueuedQuestion).where(
        QueuedQuestion.id.in_(group.ids), QueuedQuestion.state == "open",
    ).values(state=decision, decision_id=row.id)).rowcount
    if not closed:
        sess.rollback()
        raise Conflict(_("Another supervisor has just decided this group."))
    row.questions = closed
    record("queue.decide", "queue_decision", f"{row.id}:{decision}:{closed}", sess=sess)
    sess.commit()
    return row


def purge_queued_questions(days: int | None = None, now: datetime | None = None) -> int:
    """Delete queued questions older than RETENTION_DAYS (decisions and daily counts stay: no text)."""
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    cutoff = (now or utcnow()) - timedelta(days=days)
    sess = db.begin_write()
    deleted = sess.execute(delete(QueuedQuestion).where(QueuedQuestion.created_at < cutoff)).rowcount
    record("purge", "queue_questions", str(deleted), actor="system", sess=sess)
    sess.commit()
    return deleted
