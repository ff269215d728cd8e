"""The portal side: search page, /readyz index component, CLI commands, engine reuse."""
from __future__ import annotations

import json
import time

import yaml

from knowledge import loader
from tests.search.portal_fixtures import make_search_app, search_app, search_client  # noqa: F401


def test_page_shows_results_in_page_language(search_client):
    resp = search_client.get("/en/search?q=how+do+I+get+a+work+permit")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'href="/en/services/work-permit"' in body and "Work permit" in body


def test_page_marks_turkish_fallback(search_client):
    body = search_client.get("/en/search?q=il+dışına+çıkma+izni").get_data(as_text=True)
    assert '<li lang="tr" dir="ltr"><a href="/en/services/travel-permit"' in body


def test_page_without_query_and_with_unanswerable_query(search_client):
    assert search_client.get("/en/search").status_code == 200
    body = search_client.get("/en/search?q=pizza+mozzarella+recipe").get_data(as_text=True)
    assert "YİMER 157" in body and 'class="results"' not in body


def test_page_rejects_control_characters_without_500(search_client):
    resp = search_client.get("/en/search?q=work%00permit")
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert 'aria-describedby="q-error"' in body and "<title>Error:" in body


def test_page_without_index_says_unavailable(make_app, tmp_path):
    resp = make_app(INDEX_DIR=str(tmp_path / "none")).test_client().get("/en/search?q=work")
    assert resp.status_code == 503 and "157" in resp.get_data(as_text=True)


def _index_component(client) -> dict:
    """The index component of /readyz once it is no longer loading (bounded)."""
    for _ in range(200):
        component = client.get("/readyz").get_json()["components"]["index"]
        if component["status"] != "loading":
            return component
        time.sleep(0.05)
    return component


def test_health_reports_index_ok_then_stale(search_app, tmp_path):
    client = search_app.test_client()
    component = _index_component(client)
    assert component["status"] == "ok" and component["encoder"] == "fake:hash-64"
    path = tmp_path / "kb" / "content" / "services" / "work-permit" / "en.yaml"
    data = yaml.safe_load(path.read_text())
    data["answer"] = "Your employer applies online for the work permit."
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    loader._cache.clear()
    component = _index_component(client)
    assert component["status"] == "stale"
    # a stale index still answers
    assert client.post("/api/v1/search", json={"q": "how do I get a work permit"}).status_code == 200


def test_health_reports_missing_index(make_app, tmp_path):
    resp = make_app(INDEX_DIR=str(tmp_path / "none")).test_client().get("/readyz")
    assert resp.status_code == 503 and resp.get_json()["components"]["index"]["status"] == "missing"


def test_cli_index_and_evaluate(search_app, tmp_path):
    runner = search_app.test_cli_runner()
    result = runner.invoke(args=["knowledge", "index"])
    assert result.exit_code == 0 and "3 services" in result.output
    eval_set = tmp_path / "set.jsonl"
    rows = [{"id": "1", "lang": "en", "question": "how do I get a work permit", "expect": {"service": "work-permit"}},
            {"id": "2", "lang": "en", "question": "pizza recipe mozzarella", "expect": {"intent": "out_of_scope"}}]
    eval_set.write_text("\n".join(json.dumps(r) for r in rows))
    dump = tmp_path / "dump.jsonl"
    result = runner.invoke(args=["knowledge", "evaluate", "--set", str(eval_set), "--dump", str(dump)])
    assert result.exit_code == 0, result.output
    assert "top-1" in result.output and "Confusion pairs" in result.output
    assert len(dump.read_text().splitlines()) == 2


def test_cli_evaluate_rejects_bad_set(search_app, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": 1}\n')
    result = search_app.test_cli_runner().invoke(args=["knowledge", "evaluate", "--set", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output


def test_engine_is_loaded_once_and_reloaded_after_rebuild(search_app):
    from portal.search import operations
    with search_app.app_context():
        first = operations.get_engine()
        assert operations.get_engine() is first
        operations.build_search_index()
        assert operations.get_engine() is not first


def test_apps_on_the_same_index_share_one_engine(search_app, make_app, tmp_path):
    """Several apps in one process (as in the tests) load an index once; a rebuilt index is loaded again."""
    from portal.search import operations
    twin = make_app(**{key: search_app.config[key] for key in ("KNOWLEDGE_DIR", "INDEX_DIR", "ENCODER_BACKEND")})
    elsewhere = make_app(KNOWLEDGE_DIR=search_app.config["KNOWLEDGE_DIR"], ENCODER_BACKEND="fake",
                         INDEX_DIR=str(tmp_path / "other-index"))
    with elsewhere.app_context():
        operations.build_search_index()
        other = operations.get_engine()
    with search_app.app_context():
        first = operations.get_engine()
    with twin.app_context():
        assert operations.get_engine() is first
        operations.build_search_index()            # rewrites the shared index: every app moves to the new one
        rebuilt = operations.get_engine()
    assert rebuilt is not first and other is not first
    assert rebuilt.search("residence permit", "en", 1).results == first.search("residence permit", "en", 1).results
