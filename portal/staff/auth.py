"""Staff authentication (API bearer tokens or the browser session) and role checks.

`require_role("agent")` protects JSON and HTML routes alike: no staff user -> 401, a user without
the role -> 403 (and an audit row). Roles are ordered agent < supervisor < admin.
"""
from __future__ import annotations

import functools
import time

from flask import current_app, g, request, session
from sqlalchemy import select

from .. import db
from ..errors import DomainError, PermissionDenied
from ..timeutil import utcnow
from .models import ROLES, ApiToken, StaffUser
from .passwords import token_digest, verify_password

SESSION_KEY = "staff_id"
SEEN_KEY = "staff_seen"


class NotAuthenticated(DomainError):
    status, code = 401, "unauthorized"


def _from_token() -> StaffUser | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip()
    if not token or len(token) > 200:
        return None
    sess = db.session()
    row = sess.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at < utcnow()):
        return None
    return sess.get(StaffUser, row.user_id)


def _from_session() -> StaffUser | None:
    user_id, seen = session.get(SESSION_KEY), session.get(SEEN_KEY, 0)
    if not user_id:
        return None
    if time.time() - float(seen) > current_app.config["STAFF_SESSION_MINUTES"] * 60:
        logout_session()
        return None
    session[SEEN_KEY] = int(time.time())
    return db.session().get(StaffUser, user_id)


def current_staff() -> StaffUser | None:
    """The signed-in staff user of this request (token first, then session), or None."""
    if "staff" not in g:
        user = _from_token() or _from_session()
        g.staff = user if user is not None and user.active else None
    return g.staff


def authenticate(username: str, password: str) -> StaffUser | None:
    """Check a username and password (constant work whether or not the user exists)."""
    user = db.session().scalar(select(StaffUser).where(StaffUser.username == (username or "")[:80]))
    ok = verify_password(user.password_hash if user else None, password or "")
    return user if ok and user is not None and user.active else None


def login_session(user: StaffUser) -> None:
    session.clear()
    session[SESSION_KEY] = user.id
    session[SEEN_KEY] = int(time.time())


def logout_session() -> None:
    session.pop(SESSION_KEY, None)
    session.pop(SEEN_KEY, None)


def check_role(role: str) -> StaffUser:
    """The current staff user if they have `role` (or a higher one); raise 401/403 otherwise."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = current_staff()
    if user is None:
        raise NotAuthenticated()
    if not user.has_role(role):
        from ..audit import record_now
        record_now("access.denied", "endpoint", request.endpoint or "", outcome="denied")
        raise PermissionDenied()
    return user


def require_role(role: str):
    """Decorator for routes: the caller must be staff with at least `role`."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            check_role(role)
            return view(*args, **kwargs)
        return wrapper
    return decorator
