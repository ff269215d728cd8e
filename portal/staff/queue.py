"""The unanswered and disputed questions queue: recording, grouping, supervisor decisions, purge.

Every abstention of the search (public API, bot, degraded chat, console) and every negative feedback
or correction from the console lands here with its masked text. Similar questions are grouped across
languages with the search engine's own encoder (vectors stored per question, computed on first view),
and a supervisor closes a group as "content added" or "not our service".
"""
from __future__ import annotations

import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import db
from ..audit import record
from ..chat.masking import mask
from ..errors import Conflict, NotFound, ValidationFailed
from ..timeutil import utcnow
from .queue_cluster import cluster
from .queue_models import DECISIONS, QueueDecision, QueuedQuestion, SearchDailyCount

log = logging.getLogger(__name__)
MAX_TEXT = 1000
EXAMPLES = 3
CONSOLE_MERGE = timedelta(minutes=2)   # an agent still typing: extend the last console question
STATES = ("open", "decided")
SHOWN_GROUPS = 100
_embedder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-embed")   # threads start on first use


# -- recording -----------------------------------------------------------------------------------
def _own_session() -> Session:
    db.engine()
    return current_app.extensions["db_sessionmaker"]()


def _count_search(sess: Session, lang: str, abstained: bool) -> None:
    today = utcnow().date()
    values = {"searches": SearchDailyCount.searches + 1,
              "abstentions": SearchDailyCount.abstentions + (1 if abstained else 0)}
    where = (SearchDailyCount.day == today, SearchDailyCount.lang == lang)
    if sess.execute(update(SearchDailyCount).where(*where).values(**values)).rowcount:
        return
    try:
        with sess.begin_nested():
            sess.add(SearchDailyCount(day=today, lang=lang, searches=1, abstentions=int(abstained)))
    except IntegrityError:       # another process inserted today's row first
        sess.execute(update(SearchDailyCount).where(*where).values(**values))


def _merge_console_typing(sess: Session, text: str) -> bool:
    """True when `text` continues (or is a prefix of) the newest console abstention of the last
    two minutes: the as-you-type suggestions then keep one row instead of one per pause."""
    last = sess.scalars(select(QueuedQuestion).where(
        QueuedQuestion.source == "console", QueuedQuestion.kind == "abstained",
        QueuedQuestion.created_at >= utcnow() - CONSOLE_MERGE).order_by(QueuedQuestion.id.desc()).limit(1)).first()
    if last is None or not (text.startswith(last.text) or last.text.startswith(text)):
        return False
    if len(text) > len(last.text):
        last.text, last.vector, last.vector_model = text, None, ""
    return True


def _just_queued(sess: Session, text: str, source: str) -> bool:
    """The same question from the same source was queued moments ago (one chat turn can search
    twice; a form can be sent twice): keep one row."""
    return sess.scalar(select(QueuedQuestion.id).where(
        QueuedQuestion.source == source, QueuedQuestion.kind == "abstained", QueuedQuestion.text == text,
        QueuedQuestion.created_at >= utcnow() - CONSOLE_MERGE).limit(1)) is not None


def _queue(sess: Session, text: str, lang: str, source: str, kind: str, suggested: str = "",
           correct: str = "") -> None:
    text = mask(" ".join(text.split()))[:MAX_TEXT]
    if source == "console" and kind == "abstained" and _merge_console_typing(sess, text):
        return
    if kind == "abstained" and _just_queued(sess, text, source):
        return
    sess.add(QueuedQuestion(text=text, lang=lang or "", source=source, kind=kind,
                            suggested_service=suggested or "", correct_service=correct or ""))


def note_search(text: str, lang: str, abstain: bool, source: str, suggested: str = "") -> None:
    """Queue a search that abstained; count public searches (not the console's as-you-type calls)
    per UTC day and language for the abstention rate.

    Called after the answer is known; never raises and never logs the text.
    """
    counted = source != "console"
    if not (abstain or counted):
        return
    try:
        with _own_session() as sess:
            db.begin_write(sess)
            if counted:
                _count_search(sess, lang, bool(abstain))
            if abstain:
                _queue(sess, text, lang, source, "abstained", suggested)
            sess.commit()
        if abstain:
            _embed_later()
    except Exception as exc:  # noqa: BLE001 - recording must never break the answer
        log.warning("queue: a %s search was not recorded (%s)", source, type(exc).__name__)


def queue_feedback(sess: Session, question: str, lang: str, verdict: str, correct: str, ranking: str) -> None:
    """Queue a "wrong suggestion" verdict (a correction when the agent picked the right service)
    in the feedback's own transaction."""
    if verdict != "wrong":
        return
    suggested = ranking.split(",")[0] if ranking else ""
    _queue(sess, question, lang, "feedback", "correction" if correct else "negative", suggested, correct)


def _embed_later() -> None:
    """Encode new questions in a background thread, after the answer (tests: on the next page view)."""
    app = current_app._get_current_object()
    if not app.testing:
        _embedder.submit(_embed_pending, app)


def _embed_pending(app) -> None:
    try:
        with app.app_context():
            sess = db.session()
            rows = list(sess.scalars(select(QueuedQuestion).where(
                QueuedQuestion.state == "open", QueuedQuestion.vector.is_(None)).limit(500)))
            if rows:
                _ensure_vectors(sess, rows)
    except Exception as exc:  # noqa: BLE001 - the page view encodes what is still missing
        log.warning("queue: background encoding failed (%s)", type(exc).__name__)


# -- grouping ------------------------------------------------------------------------------------
@dataclass
class Group:
    key: int                                   # id of the group's first question (decision target)
    count: int
    langs: list[tuple[str, int]]
    sources: list[tuple[str, int]]
    kinds: list[tuple[str, int]]
    examples: list[QueuedQuestion]
    suggested: str = ""
    correct: str = ""
    last_at: datetime | None = None
    decision: QueueDecision | None = None
    ids: list[int] = field(default_factory=list)
    members: list[QueuedQuestion] = field(default_factory=list)


def _encoder():
    from ..search.operations import get_engine
    return get_engine().encoder


def _ensure_vectors(sess: Session, rows: list[QueuedQuestion]) -> bool:
    """Encode the questions without a vector of the current encoder; False when it is unavailable."""
    try:
        encoder = _encoder()
    except Exception as exc:  # noqa: BLE001 - the page still lists the questions, ungrouped
        log.warning("queue: encoder unavailable (%s)", type(exc).__name__)
        return False
    model = f"{encoder.backend}:{encoder.model}"[:120]
    missing = [r for r in rows if r.vector is None or r.vector_model != model]
    if missing:
        vectors = encoder.encode_queries([r.text for r in missing])
        db.begin_write(sess)
        for row, vec in zip(missing, vectors):
            row.vector, row.vector_model = np.asarray(vec, dtype=np.float32).tobytes(), model
        sess.commit()
    return True


def _cluster_cached(rows: list[QueuedQuestion]) -> list[list[int]]:
    key = tuple(r.id for r in rows)
    cache = current_app.extensions.setdefault("queue_clusters", {})
    if key not in cache:
        vectors = np.vstack([np.frombuffer(r.vector, dtype=np.float32) for r in rows])
        cache.clear()                         # keep only the latest grouping
        cache[key] = cluster(vectors)
    return cache[key]


def _top(counter: Counter) -> list[tuple[str, int]]:
    return [(k, n) for k, n in counter.most_common() if k]


def _examples(rows: list[QueuedQuestion]) -> list[QueuedQuestion]:
    """Up to three examples, newest first, preferring different languages."""
    newest, seen = [], set()
    for row in sorted(rows, key=lambda r: r.id, reverse=True):
        if row.text not in seen:             # each wording once
            newest.append(row)
            seen.add(row.text)
    picked, langs = [], set()
    for row in newest:
        if row.lang not in langs:
            picked.append(row)
            langs.add(row.lang)
    picked += [r for r in newest if r not in picked]
    return picked[:EXAMPLES]


def _group(rows: list[QueuedQuestion], decision: QueueDecision | None = None) -> Group:
    return Group(
        key=min(r.id for r in rows), count=len(rows), ids=sorted(r.id for r in rows),
        langs=_top(Counter(r.lang for r in rows)), sources=_top(Counter(r.source for r in rows)),
        kinds=_top(Counter(r.kind for r in rows)), examples=_examples(rows),
        suggested=next(iter(_top(Counter(r.suggested_service for r in rows))), ("", 0))[0],
        correct=next(iter(_top(Counter(r.correct_service for r in rows))), ("", 0))[0],
        last_at=max(r.created_at for r in rows), decision=decision, members=rows)


def open_groups(sess: Session | None = None) -> list[Group]:
    """Open questions grouped by meaning across languages, biggest group first."""
    sess = sess or db.session()
    rows = list(sess.scalars(select(QueuedQuestion).where(QueuedQuestion.state == "open")
                             .order_by(QueuedQuestion.id)))
    if not rows:
        return []
    if not _ensure_vectors(sess, rows):
        return [_group([r]) for r in reversed(rows)]
    return [_group([rows[i] for i in members]) for members in _cluster_cached(rows)]


def decided_groups(sess: Session | None = None, limit: int = 100) -> list[Group]:
    """The latest decisions, each with the questions it closed (those not purged yet)."""
    sess = sess or db.session()
    decisions = list(sess.scalars(select(QueueDecision).order_by(QueueDecision.id.desc()).limit(limit)))
    rows = sess.scalars(select(QueuedQuestion).where(
        QueuedQuestion.decision_id.in_([d.id for d in decisions]))).all() if decisions else []
    by_decision: dict[int, list[QueuedQuestion]] = {}
    for row in rows:
        by_decision.setdefault(row.decision_id, []).append(row)
    return [_group(by_decision[d.id], d) for d in decisions if d.id in by_decision]


@dataclass
class QueuePage:
    groups: list[Group]          # the biggest SHOWN_GROUPS groups
    total_groups: int
    total_questions: int


def list_groups(state: str) -> QueuePage:
    """Groups for the queue page ("open" or "decided"); the view of the texts is audited."""
    if state not in STATES:
        message = _("Please choose open or decided questions.")
        raise ValidationFailed(message, {"state": message})
    groups = open_groups() if state == "open" else decided_groups()
    sess = db.begin_write()
    record("queue.view", "queue", f"{state}:{len(groups)}", sess=sess)
    sess.commit()
    return QueuePage(groups[:SHOWN_GROUPS], len(groups), sum(g.count for g in groups))


def decide_group(user, key: object, decision: object) -> QueueDecision:
    """Close the open group that contains question `key` as "content_added" or "not_our_service"."""
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


# -- retention -----------------------------------------------------------------------------------
def purge_queued_questions(days: int | None = None, now: datetime | None = None) -> int:
    """Delete queued questions older than RETENTION_DAYS (decisions and daily counts stay: no text)."""
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    cutoff = (now or utcnow()) - timedelta(days=days)
    sess = db.begin_write()
    deleted = sess.execute(delete(QueuedQuestion).where(QueuedQuestion.created_at < cutoff)).rowcount
    record("purge", "queue_questions", str(deleted), actor="system", sess=sess)
    sess.commit()
    return deleted
