"""Structured request logs: one JSON line per request with its request id (taken from X-Request-ID when
it looks like one, else generated, and sent back), the route rule instead of the path, and nothing
personal: no phone number, access code or reference from the path, the query or the body."""
from __future__ import annotations

import json
import logging
import re

import pytest

from portal.requestlog import JsonFormatter

PHONE, CODE, REFERENCE = "05321234567", "7KQ3-M9XZ", "GIB-7K3M-Q9"


@pytest.fixture()
def client(make_app):
    from tests.helpers.app import migrate
    app = make_app(RASA_URL="http://127.0.0.1:9")       # Rasa unreachable: the chat degrades
    migrate(app)
    return app.test_client()


@pytest.fixture()
def request_lines(caplog):
    """The JSON lines the portal's handler would write for the records of this test."""
    caplog.set_level(logging.INFO)
    formatter = JsonFormatter()

    def lines(logger: str | None = None) -> list[dict]:
        return [json.loads(formatter.format(r)) for r in caplog.records if logger is None or r.name == logger]

    return lines


def test_one_json_line_per_request_with_the_given_request_id(client, request_lines):
    resp = client.get("/en/services", headers={"X-Request-ID": "nginx-4f9c2a7e11"})
    assert resp.headers["X-Request-ID"] == "nginx-4f9c2a7e11"
    [line] = request_lines("portal.request")
    assert line["request_id"] == "nginx-4f9c2a7e11" and line["route"] == "/<lang>/services"
    assert line["method"] == "GET" and line["status"] == 200 and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["message"] == "request" and line["ts"].endswith("+00:00")


@pytest.mark.parametrize("given", ["", "short", "has space in it", "x" * 65, "semi;colon<tag>"])
def test_an_unusable_request_id_is_replaced(client, request_lines, given):
    resp = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
    generated = resp.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert request_lines("portal.request")[-1]["request_id"] == generated


def test_no_personal_data_from_path_query_or_body(client, request_lines):
    client.get(f"/en/services/{PHONE}?phone={PHONE}&code={CODE}")
    client.post("/api/v1/appointments/lookup", json={"reference": REFERENCE, "access_code": CODE},
                headers={"X-Request-ID": "lookup-0001"})
    client.post("/api/v1/chat", json={"message": f"my number is {PHONE} and my code {CODE}", "lang": "en"})
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in request_lines())
    assert text and PHONE not in text and CODE not in text and REFERENCE not in text
    assert "53212" not in text          # not even part of the number
    routes = {line.get("route") for line in request_lines("portal.request")}
    assert {"/<lang>/services/<slug>", "/api/v1/appointments/lookup", "/api/v1/chat"} <= routes


def test_lines_written_during_a_request_carry_its_id(client, request_lines):
    @client.application.get("/_test/log")
    def write_a_line():
        logging.getLogger("portal.test").warning("something happened")
        return "ok"

    client.get("/_test/log", headers={"X-Request-ID": "trace-me-123456"})
    [line] = request_lines("portal.test")
    assert line["request_id"] == "trace-me-123456" and line["message"] == "something happened"


def test_an_error_trace_is_masked():
    try:
        raise ValueError(f"cannot book for {PHONE}")
    except ValueError:
        record = logging.LogRecord("portal.errors", logging.ERROR, __file__, 1, "unhandled error", None,
                                   exc_info=__import__("sys").exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["error"] == "ValueError" and PHONE not in line["trace"] and "[phone]" in line["trace"]
