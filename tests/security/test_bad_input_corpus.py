"""A fixed corpus of hostile input against every public JSON operation (read from the OpenAPI document)
and every HTML form (read from the URL map), on SQLite and PostgreSQL: no response may be a 5xx.

The corpus: JSON nested 20,000 deep, wrong types, lone surrogates, NUL, right-to-left overrides,
10,000-character strings and a 1 MB body. The staff operations and forms run signed in, so their
handlers are reached, not only the sign-in guard.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote_from_bytes

import pytest

from portal.chat import rasa_client
from tests.helpers.staff import add_staff, make_staff, sign_in

LONG = "ب" * 10_000
HOSTILE_TEXT = ["\x00", "\udc00 lone", "\u202eevil\u202c", LONG, "' OR 1=1 --", "<script>x</script>",
                "GIB-\x00AAA-BB", "../../etc/passwd"]
WRONG_TYPES = [None, [None], {"a": 1}, 7, -1, 10**30, True, 1.5e308, []]
RAW_BODIES = ["[" * 20_000 + "]" * 20_000, '{"q": "\\udc00"}', '{"a":' * 5000, "\x00", "not json",
              "[]", "null", '"string"', "x" * (1024 * 1024)]
PATH_VALUES = {"reference": "GIB-AAAA-BB", "number": "GC-2026-AAAAAA", "slug": "travel-permit"}


@pytest.fixture()
def hostile_app(db_app, monkeypatch):
    monkeypatch.setattr(rasa_client, "send", _rasa_down)
    return db_app


def _rasa_down(*args, **kwargs):
    raise rasa_client.RasaUnavailable("test")


def _fields(spec: dict, schema: dict) -> set[str]:
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return set(schema.get("properties", {}))


def _operations(client) -> list[tuple[str, str, set[str]]]:
    spec = client.get("/api/v1/openapi.json").get_json()
    found = []
    for path, methods in spec["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "1"), path)
        for method, op in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            query = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
            found.append((method, concrete, _fields(spec, body) | query | {"lang"}))
    return found


def _bodies(fields: set[str]):
    for value in HOSTILE_TEXT + WRONG_TYPES:
        yield json.dumps({name: value for name in fields}, ensure_ascii=True)
    yield from RAW_BODIES


def _assert_no_5xx(resp, what: str) -> None:
    assert resp.status_code < 500, f"{what} -> {resp.status_code}: {resp.get_data(as_text=True)[:300]}"


def test_every_json_operation_survives_the_corpus(hostile_app):
    client = hostile_app.test_client()
    token = make_staff(hostile_app, "fuzzadmin", "admin")
    operations = _operations(client)
    assert len(operations) >= 17 and any(path == "/api/v1/chat" for _, path, _ in operations)
    for method, path, fields in operations:
        headers = {"Authorization": f"Bearer {token}"} if "/staff/" in path else {}
        for body in _bodies(fields):
            if method in ("get", "delete"):
                query = "&".join(f"{name}=%ED%B0%80%00%E2%80%AE" for name in fields)   # surrogate, NUL, RTL
                resp = client.open(path, method=method.upper(), query_string=query, headers=headers)
            else:
                resp = client.open(path, method=method.upper(), data=body, headers=headers,
                                   content_type="application/json")
            _assert_no_5xx(resp, f"{method.upper()} {path} {body[:60]!r}")


def _form_routes(app) -> list[str]:
    """Every URL rule that takes an HTML form POST (not the JSON API), with its arguments filled in."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(("/api/", "/static")):
            continue
        routes.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "en" if m.group(1) == "lang"
                             else PATH_VALUES.get(m.group(1), "1"), rule.rule))
    return routes


FORM_FIELDS = ["q", "message", "text", "name", "phone", "email", "reference", "access_code", "code", "number",
               "office", "service", "slot", "day", "date", "consent", "username", "password", "next", "lang",
               "note", "reason", "status", "helpful", "label", "question", "slug", "page"]


def _form_body(value: str) -> str:
    """Every field set to `value`, percent-encoded as a browser would (lone surrogates included)."""
    encoded = quote_from_bytes(value.encode("utf-8", "surrogatepass"))
    return "&".join(f"{name}={encoded}" for name in FORM_FIELDS)


def test_every_html_form_survives_the_corpus(hostile_app):
    add_staff(hostile_app, "formadmin", "admin")
    routes = _form_routes(hostile_app)
    assert any(r.endswith("/chat") for r in routes) and "/staff/login" in routes
    for route in routes:
        client = hostile_app.test_client()
        staff_route = route.startswith("/staff") and route != "/staff/login"
        for i, value in enumerate(HOSTILE_TEXT + ["", "0", "-1", "99999999999999999999"]):
            if staff_route and (i == 0 or route.endswith("/logout")):
                sign_in(client, "formadmin")     # again after each sign-out
            resp = client.post(route, data=_form_body(value), content_type="application/x-www-form-urlencoded")
            _assert_no_5xx(resp, f"POST {route} {value[:40]!r}")
            resp = client.get(route, query_string="&".join(f"{name}=%ED%B0%80%00" for name in ("q", "page", "next")))
            _assert_no_5xx(resp, f"GET {route} {value[:40]!r}")
        big = client.post(route, data={"message": "x" * (1024 * 1024)})
        _assert_no_5xx(big, f"POST {route} 1 MB")
