"""Recording what enters the queue: abstaining searches (through the search's `search_done` signal),
the daily search counts behind the abstention rate, and agents' "wrong suggestion" verdicts.

Every abstention of the search (public API, bot, degraded chat, console) and every negative feedback
or correction from the console lands here with its masked text. Vectors for grouping are computed
after the answer, in a background thread.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ... import db
from ...chat.masking import mask
from ...search.signals import search_done
from ...timeutil import utcnow
from .grouping import ensure_vectors
from .models import QueuedQuestion, SearchDailyCount

log = logging.getLogger(__name__)
MAX_TEXT = 1000
CONSOLE_MERGE = timedelta(minutes=2)   # an agent still typing: extend the last console question
_embedder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-embed")   # threads start on first use


def listen_to_searches(app) -> None:
    """Record the searches of `app` (called once when the queue's blueprint is registered)."""
    search_done.connect(on_search_done, sender=app)


def on_search_done(app, *, text: str, lang: str, abstain: bool, source: str, suggested: str = "", **_extra) -> None:
    """`search_done` listener: count the search, queue it when it abstained."""
    note_search(text, lang, abstain, source, suggested)


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
                ensure_vectors(sess, rows)
    except Exception as exc:  # noqa: BLE001 - the page view encodes what is still missing
        log.warning("queue: background encoding failed (%s)", type(exc).__name__)
