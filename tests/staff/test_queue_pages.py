"""The unanswered-questions page a page at a time: each group labelled by its most typical question, with
its size, languages and newest date; pages of PAGE_SIZE groups; a bad page number is no error."""
from __future__ import annotations

import re

import numpy as np
from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from portal.search.operations import get_engine
from portal.staff.queue.models import QueuedQuestion
from portal.staff.queue.operations import PAGE_SIZE
from tests.staff.test_queue import _signed_in, queue_app  # noqa: F401 - fixture

TOPICS = 2 * PAGE_SIZE + 5


def _add_with_vectors(app, items) -> None:
    """Queue (lang, text, vector) rows with vectors of the current encoder (no encoding needed)."""
    with app.app_context():
        encoder = get_engine().encoder
        model = f"{encoder.backend}:{encoder.model}"[:120]
        sess = db.begin_write()
        for lang, text, vector in items:
            sess.add(QueuedQuestion(text=text, lang=lang, source="search", kind="abstained", vector_model=model,
                                    vector=np.asarray(vector, dtype=np.float32).tobytes()))
        sess.commit()


def _unit(dim: int, *weights: tuple[int, float]) -> np.ndarray:
    vector = np.zeros(dim, dtype=np.float32)
    for axis, weight in weights:
        vector[axis] = weight
    return vector / np.linalg.norm(vector)


def _groups(html: str) -> list[str]:
    return re.findall(r'data-group="(\d+)"', html)


def test_groups_come_a_page_at_a_time_each_labelled_with_size_languages_and_date(queue_app):
    with queue_app.app_context():
        dim = get_engine().index.faiss_index.d
    # one group of three paraphrases (the middle one is the most typical, not the newest) ...
    _add_with_vectors(queue_app, [("en", "Can I bring my cat?", _unit(dim, (0, 1.0))),
                                  ("de", "Darf ich meine Katze mitnehmen?", _unit(dim, (0, 1.0), (1, 0.25))),
                                  ("fr", "Puis-je emmener mon chat en Turquie ?", _unit(dim, (0, 1.0), (1, 0.5)))])
    # ... and many unrelated single questions (orthogonal vectors: one group each)
    _add_with_vectors(queue_app, [("tr", f"Konu {i} hakkında soru", _unit(dim, (i + 2, 1.0))) for i in range(TOPICS - 1)])
    agent = _signed_in(queue_app, "agent1")

    first = agent.get("/staff/queue?lang=en").get_data(as_text=True)
    assert len(_groups(first)) == PAGE_SIZE and "Page 1 of 3." in first
    assert '<ol class="queue-groups" start="1">' in first and 'rel="next"' in first and 'rel="prev"' not in first
    biggest = first.split('<li class="queue-group"')[1]
    assert 'data-count="3"' in biggest                               # biggest group first
    assert re.search(r'<h3 id="group-\d+"><q lang="de" dir="auto">Darf ich meine Katze mitnehmen\?</q></h3>', biggest)
    assert re.search(r'<li class="queue-group" data-group="(\d+)" data-count="3" aria-labelledby="group-\1">',
                     first)
    for fact in ("<dt>Questions</dt><dd>3</dd>", "<dt>Languages</dt>", "<dt>Newest question</dt>"):
        assert fact in biggest
    assert re.search(r'<time datetime="[0-9T:-]+Z">[A-Z][a-z]{2} \d{1,2}, \d{4}', biggest)

    last = agent.get("/staff/queue?lang=en&page=3").get_data(as_text=True)
    assert len(_groups(last)) == TOPICS - 2 * PAGE_SIZE and 'start="41"' in last and 'rel="next"' not in last
    assert not set(_groups(last)) & set(_groups(first))
    assert _groups(agent.get("/staff/queue?lang=en&page=99").get_data(as_text=True)) == _groups(last)
    for bad in ("abc", "-1", "0", "9" * 40):
        page = agent.get("/staff/queue", query_string={"page": bad})
        assert page.status_code == 200 and len(_groups(page.get_data(as_text=True))) == PAGE_SIZE

    turkish = agent.get("/staff/queue?lang=tr&page=2").get_data(as_text=True)
    assert "Sayfa 2 / 3." in turkish and "<dt>En yeni soru</dt>" in turkish
    with queue_app.app_context():
        refs = list(db.session().scalars(select(AuditEvent.object_ref).where(AuditEvent.action == "queue.view")))
    assert f"open:{TOPICS}:p3" in refs and f"open:{TOPICS}:p2" in refs
