"""Encrypted session cookies.

Flask's cookie is signed, not encrypted: anyone holding it can read it. Ours carries, for a short
time, what a person typed while booking (name, phone, e-mail) and the appointment they may manage,
so the whole session is encrypted and authenticated with AES-GCM (the `cryptography` package), with
a key derived from SECRET_KEY (cookies sealed under an earlier key in SECRET_KEY_FALLBACKS are
still read, and sealed again under the current one on the next change). Expiry and cookie flags are Flask's own.
"""
from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SessionInterface

from .config import secret_keys

NONCE_BYTES = 12
VERSION = b"v1"
_serializer = TaggedJSONSerializer()     # what Flask's own cookie uses (tuples, bytes, datetimes)


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"portal-session-cookie:" + str(secret).encode()).digest()


def seal(data: dict, secret: str) -> str:
    plain = _serializer.dumps(data).encode()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(secret)).encrypt(nonce, plain, VERSION)
    return base64.urlsafe_b64encode(VERSION + nonce + sealed).decode().rstrip("=")


def unseal(value: str, secret: str) -> dict | None:
    """The session data, or None when the cookie was altered, is foreign or is unreadable."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        if not raw.startswith(VERSION):
            return None
        nonce, sealed = raw[len(VERSION):len(VERSION) + NONCE_BYTES], raw[len(VERSION) + NONCE_BYTES:]
        data = _serializer.loads(AESGCM(_key(secret)).decrypt(nonce, sealed, VERSION).decode())
    except (ValueError, InvalidTag, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


class EncryptedCookieSessionInterface(SessionInterface):
    session_class = SecureCookieSession

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        data = None
        for secret in secret_keys(app.config) if value else ():   # earlier keys while rotating
            if (data := unseal(value, secret)) is not None:
                break
        return self.session_class(data or {})

    def save_session(self, app, session, response):
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        if not session:
            if session.modified:
                response.delete_cookie(name, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                       samesite=self.get_cookie_samesite(app), httponly=self.get_cookie_httponly(app))
            return
        if session.accessed:
            response.vary.add("Cookie")
        if not self.should_set_cookie(app, session):
            return
        response.set_cookie(name, seal(dict(session), app.secret_key), expires=self.get_expiration_time(app, session),
                            httponly=self.get_cookie_httponly(app), domain=domain, path=path,
                            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app))
