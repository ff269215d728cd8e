"""Grouping the open questions by meaning across languages (the search engine's own encoder and
complete-linkage clustering), and the decided groups with the questions they closed."""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import db
from ...search.operations import get_engine
from .cluster import cluster
from .models import QueueDecision, QueuedQuestion

log = logging.getLogger(__name__)
EXAMPLES = 3


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
    label: QueuedQuestion | None = None        # the most typical question: the group's name on the page
    decision: QueueDecision | None = None
    ids: list[int] = field(default_factory=list)
    members: list[QueuedQuestion] = field(default_factory=list)


def ensure_vectors(sess: Session, rows: list[QueuedQuestion]) -> bool:
    """Encode the questions without a vector of the current encoder; False when it is unavailable."""
    try:
        encoder = get_engine().encoder
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


def _typical(rows: list[QueuedQuestion]) -> QueuedQuestion:
    """The question most similar to all the others (the medoid); the newest when that cannot be told."""
    newest = max(rows, key=lambda r: r.id)
    if len(rows) < 3 or any(r.vector is None for r in rows):
        return newest
    try:
        vectors = np.vstack([np.frombuffer(r.vector, dtype=np.float32) for r in rows])
    except ValueError:                       # vectors of different encoders (decided long ago)
        return newest
    return rows[int((vectors @ vectors.T).sum(axis=1).argmax())]


def _group(rows: list[QueuedQuestion], decision: QueueDecision | None = None) -> Group:
    return Group(
        key=min(r.id for r in rows), count=len(rows), ids=sorted(r.id for r in rows),
        langs=_top(Counter(r.lang for r in rows)), sources=_top(Counter(r.source for r in rows)),
        kinds=_top(Counter(r.kind for r in rows)), examples=_examples(rows),
        suggested=next(iter(_top(Counter(r.suggested_service for r in rows))), ("", 0))[0],
        correct=next(iter(_top(Counter(r.correct_service for r in rows))), ("", 0))[0],
        last_at=max(r.created_at for r in rows), label=_typical(rows), decision=decision, members=rows)


def open_groups(sess: Session | None = None) -> list[Group]:
    """Open questions grouped by meaning across languages, biggest group first."""
    sess = sess or db.session()
    rows = list(sess.scalars(select(QueuedQuestion).where(QueuedQuestion.state == "open")
                             .order_by(QueuedQuestion.id)))
    if not rows:
        return []
    if not ensure_vectors(sess, rows):
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
