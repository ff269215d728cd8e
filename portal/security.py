"""Response headers every page and API answer carries, and the proxy in front of the portal.

- Content-Security-Policy: only our own scripts, styles and images; no framing (the console's claim
  and close buttons cannot be clickjacked), no plugins, forms post only to us.
- Pages with conversations or personal data are never cached (the API sets this per blueprint).
- Behind a TLS proxy (TRUSTED_PROXIES=1), X-Forwarded-* are trusted from that many hops, so
  `request.is_secure` is true and cookies get `Secure`.
"""
from __future__ import annotations

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",          # the offline reader's service worker, /sw.js (portal/offline)
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Paths whose pages show a conversation or personal data (besides /api/, /staff/ and booking, which
# set no-store themselves).
PRIVATE_PAGES = ("/chat",)


def _secure_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.endswith(PRIVATE_PAGES) or "/chat/" in request.path:
        response.headers["Cache-Control"] = "no-store"
    return response


def register_security(app) -> None:
    app.after_request(_secure_headers)
    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True     # never a session cookie over plain HTTP
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
