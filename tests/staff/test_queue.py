"""The unanswered and disputed questions queue: ingestion, grouping, decisions, trend chart, purge.

Runs on SQLite and PostgreSQL with the real knowledge base and encoder (like the suggestions tests).
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from portal.config import ROOT
from portal.staff.queue.grouping import open_groups
from portal.staff.queue.models import QueuedQuestion, SearchDailyCount
from portal.timeutil import utcnow
from tests.helpers.app import migrate
from tests.helpers.staff import add_staff, csrf_from, sign_in
from tests.staff.queue_paraphrases import TOPICS, rows as paraphrases

JSON = {"Accept": "application/json"}
OFF_TOPIC = "What will the weather be like in Paris tomorrow? Call me on +90 555 123 45 67"


@pytest.fixture()
def queue_app(make_app, database_url, tmp_path_factory):
    """A migrated app (SQLite and PostgreSQL) on the real index, with an agent and a supervisor."""
    index_dir = ROOT / "instance" / "index"
    build = not (index_dir / "manifest.json").exists()
    if build:   # a fresh checkout: build the index once
        index_dir = tmp_path_factory.getbasetemp() / "queue-index"
    app = make_app(DATABASE_URL=database_url, INDEX_DIR=str(index_dir), WTF_CSRF_ENABLED=True)
    migrate(app)
    if build:
        from portal.search.operations import build_search_index
        with app.app_context():
            build_search_index()
    add_staff(app, "agent1", "agent")
    add_staff(app, "super1", "supervisor")
    return app


def _signed_in(app, username):
    client = app.test_client()
    assert sign_in(client, username, csrf=True).status_code == 303
    return client


def _queued(app) -> list[QueuedQuestion]:
    with app.app_context():
        return list(db.session().scalars(select(QueuedQuestion).order_by(QueuedQuestion.id)))


def _add_questions(app, items, days_ago: int = 0) -> None:
    """Queue questions directly: items of (lang, text)."""
    with app.app_context():
        sess = db.begin_write()
        at = utcnow() - timedelta(days=days_ago)
        for lang, text in items:
            sess.add(QueuedQuestion(text=text, lang=lang, source="search", kind="abstained", created_at=at))
        sess.commit()


def _bot_headers(app) -> dict:
    """What the action server sends: its shared token (bot/actions/portal_client.py)."""
    return {"X-Client": "bot", "X-Actions-Token": app.config["ACTIONS_API_TOKEN"]}


def test_abstaining_search_api_call_is_queued_masked_and_counted(queue_app):
    client = queue_app.test_client()
    off = client.post("/api/v1/search", json={"q": OFF_TOPIC, "lang": "en"}).get_json()
    spoofed = client.post("/api/v1/search", json={"q": "Paris weather next week please?", "lang": "en"},
                          headers={"X-Client": "bot"}).get_json()      # claiming to be the bot is not enough
    bot = client.post("/api/v1/search", json={"q": "Yarın İstanbul'da hava nasıl olacak?"},
                      headers=_bot_headers(queue_app)).get_json()
    answered = client.post("/api/v1/search", json={"q": "Oturma iznimi nasıl uzatırım?", "lang": "tr"}).get_json()
    assert off["abstain"] and spoofed["abstain"] and bot["abstain"] and not answered["abstain"]
    queued = _queued(queue_app)
    assert [(q.source, q.kind, q.lang) for q in queued] == [("search", "abstained", "en"), ("search", "abstained", "en"),
                                                            ("bot", "abstained", "tr")]
    assert "555" not in queued[0].text and "[phone]" in queued[0].text and "Paris" in queued[0].text
    with queue_app.app_context():
        counts = {c.lang: (c.searches, c.abstentions) for c in db.session().scalars(select(SearchDailyCount))}
    assert counts == {"en": (2, 2), "tr": (2, 1)}


def test_wrong_suggestion_and_correction_are_queued(queue_app):
    agent = _signed_in(queue_app, "agent1")
    token = csrf_from(agent.get("/staff/suggest").get_data(as_text=True))
    base = {"csrf_token": token, "lang": "en", "ranking": "travel-permit,legal-aid"}
    assert agent.post("/staff/feedback", data={**base, "q": "my cat needs papers", "verdict": "wrong"}).status_code == 303
    assert agent.post("/staff/feedback", data={**base, "q": "permit to work, tel 0555 123 45 67", "verdict": "wrong",
                                               "correct_service": "work-permit-foreigners"}).status_code == 303
    assert agent.post("/staff/feedback", data={**base, "q": "travel to Izmir", "verdict": "helped",
                                               "service": "travel-permit"}).status_code == 303
    queued = _queued(queue_app)
    assert [(q.source, q.kind, q.suggested_service, q.correct_service) for q in queued] == [
        ("feedback", "negative", "travel-permit", ""),
        ("feedback", "correction", "travel-permit", "work-permit-foreigners")]
    assert "555" not in queued[1].text


def test_console_typing_keeps_one_row_per_question(queue_app):
    agent = _signed_in(queue_app, "agent1")
    for partial in ("weather tomorrow", "weather tomorrow in Paris", "weather tomorrow in"):
        assert agent.get("/api/v1/staff/suggest", query_string={"q": partial}, headers=JSON).get_json()["abstain"]
    queued = _queued(queue_app)
    assert [(q.source, q.text) for q in queued] == [("console", "weather tomorrow in Paris")]
    assert queued[0].suggested_service      # the closest service the agent was shown


def test_the_same_question_searched_twice_in_a_moment_is_queued_once(queue_app):
    client = queue_app.test_client()
    for _ in range(2):                   # one chat turn may search twice; a form may be sent twice
        assert client.post("/api/v1/search", json={"q": OFF_TOPIC, "lang": "en"},
                           headers=_bot_headers(queue_app)).get_json()["abstain"]
    assert client.post("/api/v1/search", json={"q": OFF_TOPIC, "lang": "en"}).get_json()["abstain"]
    assert [q.source for q in _queued(queue_app)] == ["bot", "search"]


def test_clustering_groups_paraphrases_across_languages_and_keeps_topics_apart(queue_app):
    fixture = paraphrases()
    _add_questions(queue_app, [(lang, text) for _, lang, text in fixture])
    topic_of = {text: topic for topic, _, text in fixture}
    with queue_app.app_context():
        groups = open_groups()
        texts = {q.id: q.text for q in db.session().scalars(select(QueuedQuestion))}
        assert all(q.vector for q in db.session().scalars(select(QueuedQuestion)))   # stored once computed
    found = sorted(sorted(topic_of[texts[i]] for i in g.ids) for g in groups)
    assert found == sorted([topic] * len(items) for topic, items in TOPICS.items())
    assert all(len(g.langs) == len(g.ids) for g in groups)        # every paraphrase in its own language
    assert all(1 <= len(g.examples) <= 3 for g in groups)


def test_supervisor_decides_a_group_agent_gets_403(queue_app):
    _add_questions(queue_app, [(lang, text) for topic, lang, text in paraphrases() if topic in ("pet", "weather")])
    agent = _signed_in(queue_app, "agent1")
    page = agent.get("/staff/queue").get_data(as_text=True)
    keys = re.findall(r'data-group="(\d+)" data-count="(\d+)"', page)
    assert len(keys) == 2 and "/staff/queue/decide" not in page
    assert 'lang="ar" dir="auto"' in page
    denied = agent.post("/staff/queue/decide", data={"csrf_token": csrf_from(page), "group": keys[0][0],
                                                     "decision": "content_added"})
    assert denied.status_code == 403

    boss = _signed_in(queue_app, "super1")
    page = boss.get("/staff/queue").get_data(as_text=True)
    assert page.count('name="decision" value="not_our_service"') == 2
    no_token = boss.post("/staff/queue/decide", data={"group": keys[0][0], "decision": "content_added"})
    assert no_token.status_code == 400
    bad = boss.post("/staff/queue/decide", data={"csrf_token": csrf_from(page), "group": keys[0][0], "decision": "x"})
    assert bad.status_code == 422
    done = boss.post("/staff/queue/decide", data={"csrf_token": csrf_from(page), "group": keys[0][0],
                                                  "decision": "not_our_service"})
    assert done.status_code == 303 and "done=" in done.headers["Location"]
    left = re.findall(r'data-group="(\d+)"', boss.get("/staff/queue").get_data(as_text=True))
    assert left == [keys[1][0]]
    decided = boss.get("/staff/queue", query_string={"state": "decided"}).get_data(as_text=True)
    assert f'data-group="{keys[0][0]}" data-count="{keys[0][1]}"' in decided and "super1" in decided
    again = boss.post("/staff/queue/decide", data={"csrf_token": csrf_from(page), "group": keys[0][0],
                                                   "decision": "content_added"})
    assert again.status_code == 303 and "problem=gone" in again.headers["Location"]
    with queue_app.app_context():
        states = {q.state for q in db.session().scalars(select(QueuedQuestion).where(QueuedQuestion.decision_id.isnot(None)))}
        actions = [a.action for a in db.session().scalars(select(AuditEvent))]
    assert states == {"not_our_service"}
    assert actions.count("queue.decide") == 1 and "queue.view" in actions and "access.denied" in actions


def test_anonymous_is_sent_to_sign_in(queue_app):
    client = queue_app.test_client()
    assert client.get("/staff/queue").status_code == 303
    assert client.post("/staff/queue/decide", data={"group": "1", "decision": "content_added"}).status_code in (303, 400)


def test_trend_chart_renders_numbers_with_text_alternatives(queue_app):
    _add_questions(queue_app, [("en", "a question about pets")] * 3, days_ago=1)
    _add_questions(queue_app, [("tr", "evcil hayvan sorusu")] * 2)
    _add_questions(queue_app, [("ru", "old question")], days_ago=30)      # outside the 14 days
    with queue_app.app_context():
        sess = db.begin_write()
        sess.add(SearchDailyCount(day=utcnow().date(), lang="de", searches=8, abstentions=2))
        sess.add(SearchDailyCount(day=utcnow().date() - timedelta(days=3), lang="de", searches=2, abstentions=1))
        sess.commit()
    page = _signed_in(queue_app, "agent1").get("/staff/queue", query_string={"lang": "en"}).get_data(as_text=True)
    days_svg = page.split('<svg', 2)[1]
    assert "<title" in days_svg and "<desc" in days_svg and "entered the queue in the last 14 days: 5." in days_svg
    assert '>3</text>' in days_svg and '>2</text>' in days_svg
    assert "30% (3/10)" in page                                  # de: 3 abstentions of 10 searches
    assert '<th scope="row"><span lang="de">Deutsch</span></th><td>10</td><td>3</td><td>30%</td>' in page
    today = utcnow().date().isoformat()
    assert f'<th scope="row">{today}</th><td>2</td>' in page


def test_purge_deletes_questions_past_retention(queue_app):
    _add_questions(queue_app, [("en", "old question, tel 0555 111 22 33")], days_ago=200)
    _add_questions(queue_app, [("en", "recent question")], days_ago=2)
    out = queue_app.test_cli_runner().invoke(args=["purge"])
    assert out.exit_code == 0 and "deleted 1 queued questions" in out.output
    assert [q.text for q in _queued(queue_app)] == ["recent question"]
