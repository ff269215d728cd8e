"""POST /api/v1/search: contract, input errors (never a 500), localisation, rate limit."""
from __future__ import annotations

import pytest

from tests.search.portal_fixtures import make_search_app, search_app, search_client  # noqa: F401  (fixtures)


def test_search_contract(search_client):
    resp = search_client.post("/api/v1/search", json={"q": "how do I get a work permit"})
    assert resp.status_code == 200
    data = resp.get_json()
    assert set(data) == {"lang", "abstain", "out_of_scope", "results"}
    assert data["lang"] == "en" and data["abstain"] is False
    top = data["results"][0]
    assert {"service", "title", "score", "url", "answer"} <= set(top)
    assert top["service"] == "work-permit" and top["url"] == "/en/services/work-permit"
    assert len(data["results"]) <= 3


def test_lang_and_k(search_client):
    data = search_client.post("/api/v1/search", json={"q": "çalışma izni nasıl alınır", "lang": "tr", "k": 1}).get_json()
    assert data["lang"] == "tr" and len(data["results"]) == 1
    assert data["results"][0]["title"] == "Çalışma izni"


def test_abstains_on_unrelated_question(search_client):
    data = search_client.post("/api/v1/search", json={"q": "best pizza recipe with mozzarella"}).get_json()
    assert data["abstain"] is True and data["results"] == []


@pytest.mark.parametrize("body, field", [
    ({"q": ""}, "q"),
    ({"q": "   \n\t "}, "q"),
    ({}, "q"),
    ({"q": "x" * 1001}, "q"),
    ({"q": "work\x00permit"}, "q"),
    ({"q": "work\x1bpermit"}, "q"),
    ({"q": "\ud800"}, "q"),
    ({"q": 42}, "q"),
    ({"q": ["work"]}, "q"),
    ({"q": "work permit", "lang": "xx"}, "lang"),
    ({"q": "work permit", "lang": 3}, "lang"),
    ({"q": "work permit", "k": 0}, "k"),
    ({"q": "work permit", "k": 11}, "k"),
    ({"q": "work permit", "k": "3"}, "k"),
    ({"q": "work permit", "k": True}, "k"),
    ({"q": "work permit", "k": 2.5}, "k"),
])
def test_invalid_fields_give_422(search_client, body, field):
    resp = search_client.post("/api/v1/search", json=body)
    assert resp.status_code == 422
    data = resp.get_json()
    assert set(data) == {"error", "message", "fields"} and field in data["fields"]


@pytest.mark.parametrize("raw, content_type", [
    (b"not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b'"q"', "application/json"),
    (b"null", "application/json"),
    (b"\xff\xfe\x00binary", "application/octet-stream"),
    (b"q=work", "application/x-www-form-urlencoded"),
])
def test_non_object_bodies_give_400(search_client, raw, content_type):
    resp = search_client.post("/api/v1/search", data=raw, content_type=content_type)
    assert resp.status_code == 400
    assert set(resp.get_json()) == {"error", "message", "fields"}


def test_exactly_1000_characters_is_accepted(search_client):
    resp = search_client.post("/api/v1/search", json={"q": "work permit " * 83 + "work"})
    assert resp.status_code == 200


def test_errors_follow_lang_then_accept_language(search_client):
    english = search_client.post("/api/v1/search", json={"q": ""}, headers={"Accept-Language": "en"}).get_json()
    german = search_client.post("/api/v1/search", json={"q": "", "lang": "de"},
                                headers={"Accept-Language": "en"}).get_json()
    turkish = search_client.post("/api/v1/search", json={"q": ""}, headers={"Accept-Language": "tr"}).get_json()
    assert english["message"] == "Please type your question."
    assert german["message"] != english["message"] and turkish["message"] != english["message"]


def test_get_is_not_allowed(search_client):
    assert search_client.get("/api/v1/search").status_code == 405


def test_missing_index_gives_503_json(make_app, tmp_path):
    app = make_app(INDEX_DIR=str(tmp_path / "no-index"))
    resp = app.test_client().post("/api/v1/search", json={"q": "work permit"})
    assert resp.status_code == 503 and resp.get_json()["error"] == "search_unavailable"


def test_rate_limit(make_app, tmp_path, monkeypatch):
    app = make_search_app(make_app, tmp_path, monkeypatch, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/api/v1/search", json={"q": "work permit"}).status_code for _ in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429
    assert client.post("/api/v1/search", json={"q": "work permit"}).get_json()["error"]


def test_the_rate_limit_answer_speaks_the_lang_of_the_body(make_app, tmp_path, monkeypatch):
    from flask_babel import force_locale, gettext
    app = make_search_app(make_app, tmp_path, monkeypatch, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/api/v1/search", json={"q": "work permit", "lang": "fa"}).status_code for _ in range(60)]
    limited = client.post("/api/v1/search", json={"q": "work permit", "lang": "fa"}, headers={"Accept-Language": "en"})
    with app.test_request_context(), force_locale("fa"):
        expected = gettext("Too many requests. Please wait a minute and try again.")
    assert codes == [200] * 60 and limited.status_code == 429
    assert limited.get_json()["message"] == expected != "Too many requests. Please wait a minute and try again."
