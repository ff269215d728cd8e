"""Liveness and readiness: /healthz answers while the process runs, touching nothing else; /readyz is 503
while the search index and its encoder load (in the background, on the first check), when the index
is missing, or when the database is unreachable, and 200 when everything required works."""
from __future__ import annotations

import time

import pytest

from tests.search.portal_fixtures import make_search_app

UNREACHABLE_PG = "postgresql://nobody@127.0.0.1:9/none"     # discard port: nothing listens


def poll_ready(client, attempts: int = 200) -> tuple[int, dict]:
    """/readyz until the index is no longer loading (bounded); the last status and JSON."""
    for _ in range(attempts):
        resp = client.get("/readyz")
        data = resp.get_json()
        if data["components"]["index"]["status"] != "loading":
            return resp.status_code, data
        time.sleep(0.05)
    return resp.status_code, data


@pytest.fixture()
def ready_app(make_app):
    """The real content, the index `make setup` built and the real encoder; Rasa unreachable."""
    from tests.helpers.app import migrate
    app = make_app(RASA_URL="http://127.0.0.1:9")
    migrate(app)
    return app


def test_liveness_is_cheap_and_does_not_need_the_database(make_app, tmp_path):
    client = make_app(DATABASE_URL=UNREACHABLE_PG, INDEX_DIR=str(tmp_path / "none")).test_client()
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok"}


def test_not_ready_while_loading_then_ready(ready_app):
    client = ready_app.test_client()
    first = client.get("/readyz")
    assert first.status_code == 503
    assert first.get_json()["components"]["index"]["status"] == "loading"
    status, data = poll_ready(client)
    assert status == 200 and data["status"] == "ok", data
    components = data["components"]
    # stale: the content changed after the build; the index still answers
    assert components["index"]["status"] in ("ok", "stale") and components["database"]["status"] == "ok"
    assert components["knowledge"]["status"] == "ok"
    # Rasa is reported, not required: the chat degrades without it
    assert components["rasa"]["status"] == "down"


def test_not_ready_without_an_index(make_app, tmp_path):
    from tests.helpers.app import migrate
    app = make_app(INDEX_DIR=str(tmp_path / "none"))
    migrate(app)
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert resp.get_json()["components"]["index"]["status"] == "missing"


def test_not_ready_when_the_database_is_unreachable(make_app, tmp_path, monkeypatch):
    app = make_search_app(make_app, tmp_path, monkeypatch, DATABASE_URL=UNREACHABLE_PG)
    status, data = poll_ready(app.test_client())
    assert status == 503 and data["status"] == "down"
    assert data["components"]["database"]["status"] == "down"
    assert data["components"]["index"]["status"] == "ok"


def test_probes_are_never_rate_limited(make_app, tmp_path):
    client = make_app(RATELIMIT_ENABLED=True, INDEX_DIR=str(tmp_path / "none")).test_client()
    statuses = {client.get("/healthz").status_code for _ in range(150)}
    assert statuses == {200}
    assert "X-RateLimit-Limit" not in client.get("/readyz").headers
