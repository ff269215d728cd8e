"""Security headers on pages, the API and the console; no caching of conversations; cookies marked
Secure behind a TLS proxy and always in production."""
from __future__ import annotations

import pytest

from portal.chat import rasa_client


@pytest.mark.parametrize("path", ["/tr/", "/en/services/work-permit", "/api/v1/openapi.json", "/staff/login",
                                  "/ar/chat", "/does-not-exist"])
def test_every_response_carries_the_security_headers(client, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"


def test_conversations_are_never_cached(client, monkeypatch):
    monkeypatch.setattr(rasa_client, "send", lambda *a, **k: rasa_client.parse_reply([{"text": "ok"}]))
    assert client.get("/fa/chat").headers["Cache-Control"] == "no-store"
    assert client.post("/api/v1/chat", json={"message": "salam"}).headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/chat/messages").headers["Cache-Control"] == "no-store"
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"


def test_behind_a_tls_proxy_the_chat_cookie_is_secure(make_app, monkeypatch):
    from tests.helpers.app import migrate
    monkeypatch.setattr(rasa_client, "send", lambda *a, **k: rasa_client.parse_reply([{"text": "ok"}]))
    app = make_app(TRUSTED_PROXIES=1)
    migrate(app)
    client = app.test_client()
    direct = client.post("/api/v1/chat", json={"message": "hi"})
    assert "Secure" not in direct.headers["Set-Cookie"]
    proxied = client.post("/api/v1/chat", json={"message": "hi"}, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in proxied.headers["Set-Cookie"]


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(client, monkeypatch):
    monkeypatch.setattr(rasa_client, "send", lambda *a, **k: rasa_client.parse_reply([{"text": "ok"}]))
    resp = client.post("/api/v1/chat", json={"message": "hi"}, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in resp.headers["Set-Cookie"]


def test_production_always_sends_cookies_over_https_only(make_app):
    app = make_app(ENV="production", SECRET_KEY="x" * 64, SESSION_COOKIE_SECURE=False)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_behind_a_tls_proxy_the_session_and_language_cookies_are_secure(make_app):
    app = make_app(TRUSTED_PROXIES=1, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    direct = client.get("/en/chat").headers.getlist("Set-Cookie")
    proxied = app.test_client().get("/en/chat", headers={"X-Forwarded-Proto": "https"}).headers.getlist("Set-Cookie")
    for cookies in (direct, proxied):
        assert {c.split("=")[0] for c in cookies} >= {"session", "lang"}, cookies
    assert not [c for c in direct if "Secure" in c]
    assert all("Secure" in c for c in proxied), proxied
