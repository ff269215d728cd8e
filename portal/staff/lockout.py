"""Console login with lockout: too many failed passwords for a username lock it for a while."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from .. import db
from ..timeutil import utcnow
from .auth import authenticate
from .console_models import LoginFailure
from .models import StaffUser

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


class LockedOut(Exception):
    """The username has had MAX_FAILURES failed logins within WINDOW."""


def _key(username: str) -> str:
    return (username or "").strip().lower()[:80]


def failures(username: str) -> int:
    """Failed logins of `username` within the lockout window."""
    since = utcnow() - WINDOW
    return db.session().scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.username == _key(username), LoginFailure.at >= since)) or 0


def login_staff(username: str, password: str) -> StaffUser | None:
    """Check the password unless locked out (raises LockedOut); record or clear failures."""
    key = _key(username)
    if failures(key) >= MAX_FAILURES:
        raise LockedOut()
    user = authenticate(key, password)
    sess = db.begin_write()
    if user is None:
        sess.add(LoginFailure(username=key))
    else:
        sess.execute(delete(LoginFailure).where(LoginFailure.username == key))
    sess.commit()
    return user
