"""The search tells the queue about its searches through the `search_done` signal (no import of the
staff queue in the search): the queue listens per app, and a failing listener never fails a search."""
from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.search.signals import announce_search, search_done
from portal.staff.queue.models import QueuedQuestion, SearchDailyCount
from portal.staff.queue.recording import on_search_done


def test_the_queue_listens_to_the_searches_of_its_own_app(make_app):
    first, second = make_app(), make_app()
    assert on_search_done in search_done.receivers_for(first)
    assert on_search_done in search_done.receivers_for(second)
    assert list(search_done.receivers_for(object())) == []    # nothing connected for every sender


def test_a_failing_listener_is_logged_and_the_queue_still_records(app, caplog):
    def broken(sender, **data):
        raise RuntimeError("listener bug")

    search_done.connect(broken, sender=app)
    try:
        with app.test_request_context("/api/v1/search"):
            announce_search("will it rain in Paris, call 0555 123 45 67", "en", True, "search")
    finally:
        search_done.disconnect(broken, sender=app)
    assert "listener broken failed (RuntimeError)" in caplog.text
    with app.app_context():
        queued = db.session().scalars(select(QueuedQuestion)).all()
        counts = db.session().scalars(select(SearchDailyCount)).all()
    assert [(q.source, q.kind, q.lang) for q in queued] == [("search", "abstained", "en")]
    assert "0555" not in queued[0].text
    assert [(c.lang, c.searches, c.abstentions) for c in counts] == [("en", 1, 1)]
