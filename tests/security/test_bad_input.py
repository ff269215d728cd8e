"""Hostile input never gives a 500, on SQLite and PostgreSQL: odd JSON types, JSON nested thousands
deep, NUL and lone surrogates in free text and identifiers, CR/LF in the sign-in's `next`."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import db
from portal.chat import rasa_client
from portal.chat.models import Message
from tests.helpers.staff import PASSWORD, add_staff

DEEP = "[" * 20000 + "]" * 20000


@pytest.fixture()
def offline_rasa(monkeypatch):
    def send(sender, text, lang, danger_margin=None):
        raise rasa_client.RasaUnavailable("test")
    monkeypatch.setattr(rasa_client, "send", send)


@pytest.mark.parametrize("path", ["/api/v1/appointments", "/api/v1/appointments/lookup", "/api/v1/cases/lookup",
                                  "/api/v1/appointments/cancel", "/api/v1/search", "/api/v1/chat"])
@pytest.mark.parametrize("lang", [[None], {"a": 1}, 7])
def test_a_language_that_is_not_a_string_is_a_field_error(db_client, path, lang):
    resp = db_client.post(path, json={"lang": lang, "reference": "GIB-AAAA-BB", "access_code": "x",
                                      "number": "GC-2026-AAAAAA", "q": "work permit", "message": "hi"})
    assert resp.status_code in (400, 404, 422) or (path == "/api/v1/chat" and resp.status_code == 200)
    assert resp.is_json


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/chat", "/api/v1/appointments/lookup",
                                  "/api/v1/cases/lookup", "/api/v1/appointments"])
def test_json_nested_thousands_deep_is_a_400(db_client, path):
    resp = db_client.post(path, data=DEEP, content_type="application/json")
    assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_json"


@pytest.mark.parametrize("text", ["hello\x00world", "\udc00 hello", "work\x07permit"])
def test_chat_text_with_nul_or_a_lone_surrogate_is_refused_by_the_api_and_cleaned_from_the_form(
        db_app, db_client, offline_rasa, text):
    from flask_babel import force_locale, gettext
    resp = db_client.post("/api/v1/chat", json={"message": text, "lang": "fa"})
    with db_app.test_request_context(), force_locale("fa"):
        expected = gettext("This text contains characters that cannot be stored. Please type it again.")
    assert resp.status_code == 422 and resp.get_json()["fields"] == {"message": expected}
    page = db_client.post("/en/chat", data={"message": text.replace("\udc00", "")})
    assert page.status_code == 303
    with db_app.app_context():
        stored = [m.text for m in db.session().scalars(select(Message).where(Message.role == "user"))]
    assert stored and all("\x00" not in s and "\udc00" not in s and "\x07" not in s for s in stored)


def test_every_string_of_a_json_body_is_checked_and_depth_is_limited(client):
    nested = {"q": "work permit", "lang": "en", "extra": {"deeper": ["fine", "bad\x00"]}}
    resp = client.post("/api/v1/search", json=nested)
    assert resp.status_code == 422 and list(resp.get_json()["fields"]) == ["extra.deeper.1"]
    deep: object = "x"
    for _ in range(40):
        deep = [deep]
    resp = client.post("/api/v1/search", json={"q": "work permit", "k": deep})
    assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_json"


def test_the_no_javascript_chat_takes_invalid_utf8(db_client, offline_rasa):
    for body in (b"message=%ED%B0%80", b"message=a%00b", b"message=%FF%FE"):
        resp = db_client.post("/tr/chat", data=body, content_type="application/x-www-form-urlencoded")
        assert resp.status_code == 303


@pytest.mark.parametrize("path, body", [
    ("/api/v1/appointments/lookup", {"reference": "GIB-7K3M\x00-Q9", "access_code": "AB\x00CD"}),
    ("/api/v1/appointments/lookup", {"reference": "\udc00", "access_code": "\udc00"}),
    ("/api/v1/appointments/cancel", {"reference": "GIB\x00", "access_code": "x"}),
    ("/api/v1/cases/lookup", {"number": "GC-2026\x00", "access_code": "x\x00"}),
])
def test_identifiers_with_nul_or_surrogates_are_refused(db_client, path, body):
    resp = db_client.post(path, json=body)
    assert resp.status_code == 422 and resp.get_json()["error"] == "validation_failed"


def test_staff_sign_in_with_nul_refuses_without_error(db_client):
    resp = db_client.post("/staff/login", data={"username": "ayse\x00", "password": "x\x00y"})
    assert resp.status_code == 401


@pytest.mark.parametrize("target", ["/staff/\r\nSet-Cookie: x=1", "/staff/%0d%0a", "//evil.example/staff/",
                                    "https://evil.example/staff/", "/staff/\x00"])
def test_next_after_sign_in_never_leaves_the_console_or_splits_headers(db_app, target):
    add_staff(db_app, "ayse", "agent")
    client = db_app.test_client()
    resp = client.post("/staff/login", query_string={"next": target},
                       data={"username": "ayse", "password": PASSWORD})
    assert resp.status_code == 303
    location = resp.headers["Location"]
    assert "\r" not in location and "\n" not in location and "evil" not in location and "Set-Cookie" not in location


def test_a_wrong_method_on_an_html_page_is_a_405_page_with_allow(client):
    resp = client.put("/en/")
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"] and resp.mimetype == "text/html"


def test_json_nested_thousands_deep_without_a_json_type_is_a_400(db_client):
    for content_type in ("text/plain", None):
        resp = db_client.post("/api/v1/search", data=DEEP, content_type=content_type)
        assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_json"


def test_a_call_back_message_with_nul_is_stored_cleaned_and_masked(db_app, db_client):
    from portal.chat.models import CallbackRequest
    resp = db_client.post("/en/chat/callback", data={
        "message": "call me\x00 about my passport U48213957", "phone": "0532 123 45 67", "consent": "yes"})
    assert resp.status_code == 200
    with db_app.app_context():
        [message] = db.session().scalars(select(CallbackRequest.message))
    assert "\x00" not in message and "U48213957" not in message and "[code]" in message


def test_case_notes_with_nul_are_refused_by_the_api_and_cleaned_by_the_operation(db_app, db_client):
    from portal.cases.operations import add_case_event
    from portal.staff.auth.models import StaffUser
    from tests.helpers.cases import create_case
    from tests.helpers.staff import make_staff
    token = make_staff(db_app, "notes-agent", "agent")
    number = create_case(db_client, token).get_json()["number"]
    resp = db_client.post(f"/api/v1/staff/cases/{number}/events", headers={"Authorization": f"Bearer {token}"},
                          json={"public_note": "Belge\x00 eksik"})
    assert resp.status_code == 422 and list(resp.get_json()["fields"]) == ["public_note"]
    with db_app.test_request_context():          # the console's HTML form reaches the operation directly
        staff = db.session().scalar(select(StaffUser).where(StaffUser.username == "notes-agent"))
        add_case_event(number, {"public_note": "Belge\x00 eksik", "staff_note": "arandı\x00\udc00"}, staff)
    body = db_client.get(f"/api/v1/staff/cases/{number}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert "Belge eksik" in [e["note"] for e in body["events"]]
    assert [n["text"] for n in body["staff_notes"]] == ["arandı\ufffd"]
