"""GET /metrics in Prometheus' text format: request latency per route rule (never the raw path), search
latency and abstentions, chat turns and emergencies, bookings (a replayed Idempotency-Key is not a second
one), handovers waiting, and whether the database and Rasa answer."""
from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from portal import db
from tests.helpers.app import migrate
from tests.helpers.booking import configure_office, future_slots, payload
from tests.search.portal_fixtures import make_search_app


def scrape(client) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} of one scrape."""
    resp = client.get("/metrics")
    assert resp.status_code == 200 and resp.content_type.startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(resp.get_data(as_text=True)) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture()
def client(make_app, tmp_path, monkeypatch):
    app = make_search_app(make_app, tmp_path, monkeypatch, RASA_URL="http://127.0.0.1:9",
                          HANDOFF_HOURS="mon-sun 00:00-23:59")
    migrate(app)
    return app.test_client()


def test_request_latency_per_route_rule_without_the_path(client):
    before = scrape(client)
    assert client.get("/en/services/travel-permit").status_code in (200, 404)
    client.get("/en/services/05321234567?phone=05321234567")
    after = scrape(client)
    route = "/<lang>/services/<slug>"
    assert value(after, "portal_request_duration_seconds_count", method="GET", route=route) \
        - value(before, "portal_request_duration_seconds_count", method="GET", route=route) == 2
    assert value(after, "portal_request_duration_seconds_bucket", method="GET", route=route, le="+Inf") >= 2
    body = client.get("/metrics").get_data(as_text=True)
    assert "05321234567" not in body and "travel-permit" not in body


def test_unmatched_paths_share_one_label(client):
    before = scrape(client)
    client.get("/no/such/page/GIB-7K3M-Q9")
    after = scrape(client)
    labels = dict(method="GET", route="<unmatched>", status="404")
    assert value(after, "portal_requests_total", **labels) - value(before, "portal_requests_total", **labels) == 1
    assert "GIB-7K3M-Q9" not in client.get("/metrics").get_data(as_text=True)


def test_search_latency_and_abstentions(client):
    before = scrape(client)
    assert client.post("/api/v1/search", json={"q": "how do I get a work permit", "lang": "en"}).status_code == 200
    answer = client.post("/api/v1/search", json={"q": "pizza mozzarella recipe", "lang": "en"}).get_json()
    assert answer["abstain"] is True
    after = scrape(client)
    delta = value(after, "portal_search_duration_seconds_count", source="search") \
        - value(before, "portal_search_duration_seconds_count", source="search")
    assert delta == 2
    assert value(after, "portal_search_abstentions_total", source="search") \
        - value(before, "portal_search_abstentions_total", source="search") == 1


def test_chat_turns_emergencies_and_handovers_waiting(client):
    before = scrape(client)
    reply = client.post("/api/v1/chat", json={"message": "112 help", "lang": "en"}).get_json()
    assert reply["emergency"] is True and reply["handoff"] == "waiting"
    reply = client.post("/api/v1/chat", json={"message": "how do I get a work permit", "lang": "en"}).get_json()
    assert reply["degraded"] is True        # Rasa is unreachable: the portal answers
    after = scrape(client)
    assert value(after, "portal_chat_emergencies_total") - value(before, "portal_chat_emergencies_total") == 1
    for answered_by in ("portal", "degraded"):     # the emergency by the portal itself, then without Rasa
        assert value(after, "portal_chat_turns_total", answered_by=answered_by) \
            - value(before, "portal_chat_turns_total", answered_by=answered_by) == 1
    assert value(after, "portal_handovers_waiting", urgent="true") == 1
    assert value(after, "portal_handovers_waiting", urgent="false") == 0


def test_bookings_count_once_per_appointment(app):
    """On the real content (the bookable services), through the API."""
    client = app.test_client()
    configure_office(app)
    start = future_slots(app, n=1)[0]
    body = payload(start)
    before = scrape(client)
    headers = {"Idempotency-Key": "metrics-test-key-1"}
    first = client.post("/api/v1/appointments", json=body, headers=headers)
    again = client.post("/api/v1/appointments", json=body, headers=headers)
    assert first.status_code == 201 and again.status_code == 201
    assert first.get_json()["reference"] == again.get_json()["reference"]
    after = scrape(client)
    assert value(after, "portal_bookings_total", channel="api") - value(before, "portal_bookings_total", channel="api") == 1


def test_reachability_of_the_database_and_rasa(client):
    samples = scrape(client)
    assert value(samples, "portal_component_up", component="database") == 1
    assert value(samples, "portal_component_up", component="rasa") == 0


def test_database_down_is_reported_not_failed(make_app, tmp_path):
    client = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:9/none", RASA_URL="http://127.0.0.1:9").test_client()
    samples = scrape(client)
    assert value(samples, "portal_component_up", component="database") == 0
    assert not any(name == "portal_handovers_waiting" for name, _labels in samples)
    with client.application.app_context():
        assert db.engine().dialect.name == "postgresql"
