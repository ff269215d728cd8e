"""Sessions: personal values kept on the server, the rest in an encrypted cookie.

What a person typed while booking (name, phone, e-mail) and the appointments or cases a browser may
open (reference, access code) are keys declared with `keep_on_server`. They live in the `held_sessions`
table, sealed, for `HELD_SESSION_MINUTES` after their last change; the cookie holds only an opaque
random id for them (the table keeps its SHA-256). The other keys (the CSRF token, the console's
language and its session token, itself opaque) stay in the cookie.

Flask's cookie is signed, not encrypted, so ours is encrypted and authenticated with AES-GCM (the
`cryptography` package), with a key derived from SECRET_KEY; so are the held values. Cookies and rows
sealed under an earlier key in SECRET_KEY_FALLBACKS are still read, and sealed again under the current
one on the next change. Expiry and cookie flags are Flask's own.
"""
from __future__ import annotations

import base64
import hashlib
import os
import secrets
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SessionInterface
from sqlalchemy import DateTime, String, Text, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from . import db
from .config import secret_keys
from .timeutil import utcnow

NONCE_BYTES = 12
VERSION = b"v1"
_serializer = TaggedJSONSerializer()     # what Flask's own cookie uses (tuples, bytes, datetimes)
HOLDER_KEY = "_held"                     # the cookie's opaque id of the values held on the server
HELD_SESSION_MINUTES = 60
SERVER_KEYS: set[str] = set()


def keep_on_server(*keys: str) -> None:
    """Declare session keys whose values must never travel in the cookie (personal data, codes)."""
    SERVER_KEYS.update(keys)


class HeldSession(db.Base):
    """The server-kept part of one browser's session, sealed; found by the SHA-256 of the cookie's id."""
    __tablename__ = "held_sessions"
    holder_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


COOKIE_PURPOSE = b"portal-session-cookie:"     # one key per use of SECRET_KEY


def _key(secret: str, purpose: bytes) -> bytes:
    return hashlib.sha256(purpose + str(secret).encode()).digest()


def seal(data: dict, secret: str, purpose: bytes = COOKIE_PURPOSE) -> str:
    plain = _serializer.dumps(data).encode()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(secret, purpose)).encrypt(nonce, plain, VERSION)
    return base64.urlsafe_b64encode(VERSION + nonce + sealed).decode().rstrip("=")


def unseal(value: str, secret: str, purpose: bytes = COOKIE_PURPOSE) -> dict | None:
    """The session data, or None when the cookie was altered, is foreign or is unreadable."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        if not raw.startswith(VERSION):
            return None
        nonce, sealed = raw[len(VERSION):len(VERSION) + NONCE_BYTES], raw[len(VERSION) + NONCE_BYTES:]
        data = _serializer.loads(AESGCM(_key(secret, purpose)).decrypt(nonce, sealed, VERSION).decode())
    except (ValueError, InvalidTag, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _holder_hash(holder: str) -> str:
    return hashlib.sha256(holder.encode()).hexdigest()


def unseal_any(value: str, secrets_: list[str], purpose: bytes = COOKIE_PURPOSE) -> dict | None:
    """`unseal` with the first of `secrets_` that opens `value` (earlier keys while rotating)."""
    for secret in secrets_:
        if (data := unseal(value, secret, purpose)) is not None:
            return data
    return None


def load_held(holder: str, secrets_: list[str], now: datetime | None = None) -> dict:
    """The values held for `holder`, unsealed with one of `secrets_` (empty when none, expired or unreadable)."""
    table = HeldSession.__table__
    with db.engine().connect() as conn:
        row = conn.execute(select(table.c.data, table.c.expires_at)
                           .where(table.c.holder_hash == _holder_hash(holder))).first()
    if row is None or row.expires_at <= (now or utcnow()):
        return {}
    return unseal_any(row.data, secrets_) or {}


def store_held(holder: str, values: dict, secret: str, now: datetime | None = None) -> None:
    """Replace what is held for `holder` (nothing held: the row is deleted), for HELD_SESSION_MINUTES."""
    table = HeldSession.__table__
    with db.engine().connect() as conn:
        conn.execution_options(write=True)      # SQLite: BEGIN IMMEDIATE (see db.make_engine)
        with conn.begin():
            conn.execute(delete(table).where(table.c.holder_hash == _holder_hash(holder)))
            if values:
                expires = (now or utcnow()) + timedelta(minutes=HELD_SESSION_MINUTES)
                conn.execute(insert(table).values(holder_hash=_holder_hash(holder), data=seal(values, secret),
                                                  expires_at=expires))


def purge_held_sessions(now: datetime | None = None) -> int:
    """Delete held values past their expiry (`flask purge`)."""
    sess = db.begin_write()
    count = sess.execute(delete(HeldSession).where(HeldSession.expires_at <= (now or utcnow()))).rowcount
    sess.commit()
    return count


class EncryptedCookieSessionInterface(SessionInterface):
    """The cookie part, sealed; the keys declared with `keep_on_server` are held in the table."""
    session_class = SecureCookieSession

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or request.is_secure     # HTTPS, also behind TRUSTED_PROXIES

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        data = (unseal_any(value, secret_keys(app.config)) if value else None) or {}
        holder = data.pop(HOLDER_KEY, None)
        held = load_held(holder, secret_keys(app.config)) if isinstance(holder, str) else {}
        session = self.session_class({**data, **{k: v for k, v in held.items() if k in SERVER_KEYS}})
        session.holder = holder if isinstance(holder, str) else None
        session.held_as = _serializer.dumps(held)       # a copy: callers change nested values in place
        return session

    def save_session(self, app, session, response):
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        holder = getattr(session, "holder", None)
        held = {k: v for k, v in session.items() if k in SERVER_KEYS}
        if _serializer.dumps(held) != getattr(session, "held_as", _serializer.dumps({})):
            holder = holder if held and holder else (secrets.token_urlsafe(32) if held else holder)
            if holder:
                store_held(holder, held, app.secret_key)
            session.holder = holder if held else None
            session.modified = True
        cookie = {k: v for k, v in session.items() if k not in SERVER_KEYS}
        if held:
            cookie[HOLDER_KEY] = session.holder
        if not cookie:
            if session.modified:
                response.delete_cookie(name, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                       samesite=self.get_cookie_samesite(app), httponly=self.get_cookie_httponly(app))
            return
        if session.accessed:
            response.vary.add("Cookie")
        if not self.should_set_cookie(app, session):
            return
        response.set_cookie(name, seal(cookie, app.secret_key), expires=self.get_expiration_time(app, session),
                            httponly=self.get_cookie_httponly(app), domain=domain, path=path,
                            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app))
