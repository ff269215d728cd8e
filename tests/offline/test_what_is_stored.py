"""What the offline worker may keep, proved on every route of the URL map: the server's opt-in header and
the worker's own rule (portal/offline/sw.js run in node) agree, and both refuse booking and manage pages,
case lookups, chat, search, /staff, /api and anything sent with no-store or private."""
from __future__ import annotations

import uuid

import pytest
from werkzeug.routing import AnyConverter, FloatConverter, IntegerConverter, UUIDConverter

from portal.offline.policy import STORABLE_ENDPOINTS, STORABLE_HEADER
from tests.helpers.offline import worker_decisions
from tests.helpers.staff import add_staff, sign_in

ORIGIN = "http://127.0.0.1"
SAMPLE = {"lang": "fa", "slug": "travel-permit", "filename": "css/site.css"}
NEVER = ("appointments.", "cases.", "chat", "search", "staff", "api", "offline_worker.")


def _sample(name, converter):
    if name in SAMPLE:
        return SAMPLE[name]
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _path(rule) -> str:
    values = {name: _sample(name, conv) for name, conv in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture()
def worker_source(client):
    resp = client.get("/sw.js")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_every_route_of_the_url_map(app, client, worker_source):
    cases, rules = [], []
    for rule in app.url_map.iter_rules():
        path = _path(rule)
        if "GET" in rule.methods:
            resp = client.get(path)
            headers = {k: v for k, v in resp.headers.items() if k.lower() != "set-cookie"}
            cases.append({"path": path, "method": "GET", "mode": "navigate", "status": resp.status_code, "headers": headers})
            rules.append((rule, headers))
            resp.close()
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):   # forms and API calls: never touched
            cases.append({"path": path, "method": method, "mode": "navigate", "status": 200, "headers": {}})
            rules.append((rule, None))
    decisions = worker_decisions(worker_source, ORIGIN, cases)
    stored_endpoints = set()
    for (rule, headers), case, decision in zip(rules, cases, decisions):
        label = f"{case['method']} {rule.rule} ({rule.endpoint})"
        if headers is None:
            assert decision["route"] == "", label
            continue
        marked = STORABLE_HEADER in headers
        assert decision["store"] == marked, label               # the worker and the server agree
        if decision["store"]:
            stored_endpoints.add(rule.endpoint)
            assert decision["route"] == "page", label
        if rule.endpoint.startswith(NEVER) or rule.rule.startswith(("/staff", "/api")):
            assert not decision["store"] and decision["route"] in ("", "other"), label
        if "no-store" in headers.get("Cache-Control", "") or "private" in headers.get("Cache-Control", ""):
            assert not decision["store"], label
        if rule.rule.startswith(("/staff", "/api")):
            assert decision["route"] == "", label                # left alone entirely
    assert stored_endpoints == set(STORABLE_ENDPOINTS)


@pytest.mark.parametrize("path", ["/fa/book", "/fa/book/details", "/fa/appointments/manage", "/fa/appointments/view",
                                  "/fa/cases/check", "/fa/cases/status", "/fa/chat", "/fa/search?q=x", "/staff/inbox"])
def test_private_pages_are_never_stored_even_if_they_claimed_to_be(client, worker_source, path):
    """A bug on the server (a private page sending the opt-in header) still stores nothing: the path decides."""
    forged = {STORABLE_HEADER: "guide", "Content-Type": "text/html; charset=utf-8"}
    decision, = worker_decisions(worker_source, ORIGIN, [{"path": path, "method": "GET", "mode": "navigate",
                                                          "status": 200, "headers": forged}])
    assert decision["store"] is False


def test_a_guide_is_stored_only_as_sent_fresh_and_public(client, worker_source):
    guide = client.get("/ps/services/travel-permit/checklist")
    headers = {k: v for k, v in guide.headers.items() if k.lower() != "set-cookie"}
    base = {"path": "/ps/services/travel-permit/checklist", "method": "GET", "mode": "navigate", "status": 200}
    variants = [
        dict(base, headers=headers),
        dict(base, headers={**headers, "Cache-Control": "no-store"}),
        dict(base, headers={**headers, "Cache-Control": "private, max-age=60"}),
        dict(base, headers={k: v for k, v in headers.items() if k != STORABLE_HEADER}),
        dict(base, headers=headers, status=500),
        dict(base, headers=headers, redirected=True),
        dict(base, headers=headers, type="opaque"),
        dict(base, headers=headers, path=base["path"] + "?session=1"),
    ]
    stores = [d["store"] for d in worker_decisions(worker_source, ORIGIN, variants)]
    assert stores == [True, False, False, False, False, False, False, False]


@pytest.mark.parametrize("path", ["/fa/services/travel-permit", "/ps/services/travel-permit/checklist",
                                  "/ar/offline", "/de/saved"])
def test_stored_pages_are_the_same_for_everyone(app, client, path):
    """Nothing of the person is in a storable page: a signed-in agent with a booking and a chat in their
    session gets byte for byte the page an anonymous visitor gets (request ids aside)."""
    add_staff(app, "offline-agent", "agent")
    anonymous = app.test_client().get(path)
    assert sign_in(client, "offline-agent").status_code in (302, 303)
    with client.session_transaction() as sess:
        sess["booking_details"] = {"full_name": "Ayşe Yılmaz", "phone": "+90 555 111 22 33"}
        sess["grant_manage"] = {"ref": "GIB-7K3M-Q9", "t": 1, "code": "C6BF-NMH9"}
        sess["chat_session"] = "chat-personal-id"
    personal = client.get(path)
    assert personal.status_code == anonymous.status_code == 200
    assert STORABLE_HEADER in personal.headers
    assert personal.get_data() == anonymous.get_data()
    assert personal.headers["ETag"] == anonymous.headers["ETag"]
