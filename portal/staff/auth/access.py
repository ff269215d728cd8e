"""Who is asking: staff API bearer tokens or the browser session (Flask-Login), and role checks.

`require_role("agent")` protects JSON and HTML routes alike: no staff user -> 401, a user without
the role -> 403 (and an audit row). Roles are ordered agent < supervisor < admin. A browser session
ends after STAFF_SESSION_MINUTES without a request (SEEN_KEY holds the time of the last one).
Operations check the role of the user they are given with `ensure_role` (routes and the API may
call them with any user object, so the rule lives next to the change it guards).
"""
from __future__ import annotations

import functools
import time

from flask import current_app, g, request, session
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select

from ... import db
from ...audit import record_now
from ...errors import DomainError, PermissionDenied
from ...timeutil import utcnow
from .models import ROLES, ApiToken, StaffUser
from .operations import end_session, session_user, start_session
from .passwords import token_digest

SEEN_KEY = "staff_seen"
SESSION_KEY = "staff_session"      # token of the StaffSession row (see operations.start_session)
login_manager = LoginManager()
login_manager.session_protection = "strong"   # a session cookie replayed from another client is dropped


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    if not str(user_id).isdigit():
        return None
    return db.session().get(StaffUser, int(user_id))


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
    if "_user_id" not in session:
        return None
    if time.time() - float(session.get(SEEN_KEY, 0)) > current_app.config["STAFF_SESSION_MINUTES"] * 60:
        logout_session()
        return None
    user = current_user._get_current_object()
    if not isinstance(user, StaffUser):
        return None
    server_side = session_user(session.get(SESSION_KEY))
    if server_side is None or server_side.id != user.id:      # signed out (perhaps elsewhere): cookie is void
        logout_user()
        session.clear()
        return None
    session[SEEN_KEY] = int(time.time())
    return user


def current_staff() -> StaffUser | None:
    """The signed-in staff user of this request (token first, then session), or None."""
    if "staff" not in g:
        user = _from_token() or _from_session()
        g.staff = user if user is not None and user.active else None
    return g.staff


def login_session(user: StaffUser) -> None:
    """Start a fresh browser session for `user` (the old session's contents are dropped)."""
    console_lang = session.get("console_lang")     # the language chosen on the sign-in page
    session.clear()
    if console_lang:
        session["console_lang"] = console_lang
    login_user(user)
    session[SESSION_KEY] = start_session(user)
    session[SEEN_KEY] = int(time.time())
    g.pop("staff", None)


def logout_session() -> None:
    """End the session on the server too, so that a copy of the cookie stops working."""
    end_session(session.pop(SESSION_KEY, None))
    logout_user()
    session.pop(SEEN_KEY, None)
    g.pop("staff", None)


def check_role(role: str) -> StaffUser:
    """The current staff user if they have `role` (or a higher one); raise 401/403 otherwise."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = current_staff()
    if user is None:
        raise NotAuthenticated()
    if not user.has_role(role):
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
        wrapper.required_role = role     # read by tests that check every staff route
        return wrapper
    return decorator


def ensure_role(user: StaffUser | None, role: str) -> StaffUser:
    """For operations: `user` must be active staff with `role` (or higher); PermissionDenied otherwise.

    The caller audits the refusal under its own action name, as the case operations do."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if not isinstance(user, StaffUser) or not user.has_role(role):
        raise PermissionDenied()
    return user
