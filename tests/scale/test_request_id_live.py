"""The request id travels: portal -> Rasa (message metadata) -> action server (its log line) -> the
portal's API (X-Request-ID again, in the portal's own request line). Real Rasa and action server (the
session's live_stack)."""
from __future__ import annotations

import json
import logging
import time

import pytest
import requests

from tests.helpers.live_stack import book_and_confirm

pytestmark = pytest.mark.live


def action_lines(stack, request_id: str) -> list[dict]:
    lines = []
    for raw in (stack.instance / "actions.log").read_text(errors="replace").splitlines():
        if raw.startswith("{") and request_id in raw:
            lines.append(json.loads(raw))
    return lines


def warm_up(stack) -> None:
    """First requests load content and models on each side: not what these tests measure."""
    requests.get(f"{stack.url}/api/v1/services", params={"lang": "en"}, timeout=60)
    requests.post(f"{stack.url}/api/v1/chat", json={"message": "hello", "lang": "en"}, timeout=60)


def test_the_request_id_reaches_the_action_server_and_comes_back(live_stack, caplog):
    warm_up(live_stack)
    caplog.set_level(logging.INFO, logger="portal.request")
    request_id = "travel-" + format(time.monotonic_ns(), "x")
    resp = requests.post(f"{live_stack.url}/api/v1/chat", json={"message": "I want to book an appointment",
                                                                "lang": "en"},
                         headers={"X-Request-ID": request_id}, timeout=30)
    assert resp.status_code == 200 and resp.headers["X-Request-ID"] == request_id
    assert resp.json()["intent"] == "book_appointment" and not resp.json()["degraded"], resp.json()
    # the action asked the portal for the bookable services, with the same id
    calls = action_lines(live_stack, request_id)
    assert any(c["path"] == "/api/v1/services" and c["status"] == 200 for c in calls), calls
    assert all(c["logger"] == "actions.portal" and c["request_id"] == request_id for c in calls)
    portal_lines = [r for r in caplog.records if r.name == "portal.request" and r.request_id == request_id]
    routes = {r.route for r in portal_lines}
    assert {"/api/v1/chat", "/api/v1/services"} <= routes, routes


def test_action_server_lines_hold_no_personal_data(live_stack):
    """A whole booking by chat (the phone number goes to the portal in a JSON body): the action server's
    lines name the paths it called, never what it sent."""
    text = book_and_confirm(live_stack, "en", "I want to book an appointment", "Demo Deniz Kaya", "0533 246 80 13")
    reference = "GIB-" + text.split("GIB-", 1)[1][:7]
    log = (live_stack.instance / "actions.log").read_text(errors="replace")
    assert '"path": "/api/v1/appointments"' in log
    assert "246 80 13" not in log and "2468013" not in log and reference not in log
