"""Staff accounts: create users, issue API tokens, check a console login (with lockout), console
sessions kept on the server, look users up."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select, text, update

from ... import db
from ...errors import Conflict, NotFound, ValidationFailed
from ...inputs import clean_identifier
from ...timeutil import utcnow
from .models import ROLES, ApiToken, LoginFailure, StaffSession, StaffUser
from .passwords import hash_password, new_token, token_digest, verify_password

MIN_PASSWORD = 12
MAX_FAILURES = 5                    # failed passwords for one username within WINDOW lock it
WINDOW = timedelta(minutes=15)


class LockedOut(Exception):
    """The username has had MAX_FAILURES failed logins within WINDOW."""


def create_staff_user(username: str, full_name: str, role: str, password: str) -> StaffUser:
    """Create a staff user (password hashed with argon2)."""
    username = (username or "").strip().lower()
    fields = {}
    if not username or len(username) > 80:
        fields["username"] = "username must be 1-80 characters"
    if role not in ROLES:
        fields["role"] = f"role must be one of {', '.join(ROLES)}"
    fields.update(_password_errors(password))
    if fields:
        raise ValidationFailed("invalid staff user", fields)
    sess = db.begin_write()
    if sess.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise Conflict(f"staff user {username} exists")
    user = StaffUser(username=username, full_name=full_name or username, role=role,
                     password_hash=hash_password(password), active=True)
    sess.add(user)
    sess.commit()
    return user


def _password_errors(password: str) -> dict:
    if len(password or "") < MIN_PASSWORD:
        return {"password": f"password must have at least {MIN_PASSWORD} characters"}
    return {}


def change_password(username: str, password: str, revoke_tokens: bool = False) -> int:
    """Set a new password; every console session of the user ends (a stolen cookie dies with the old
    password), and with `revoke_tokens` their API tokens too (tokens are issued only on the server, so
    a stolen password cannot make one; an office integration keeps working unless asked). Returns the
    number of sessions ended."""
    if fields := _password_errors(password):
        raise ValidationFailed("invalid password", fields)
    sess = db.begin_write()
    user = sess.scalar(select(StaffUser).where(StaffUser.username == (username or "").strip().lower()))
    if user is None:
        raise NotFound(f"no staff user {username}")
    user.password_hash = hash_password(password)
    ended = sess.execute(update(StaffSession).where(StaffSession.user_id == user.id,
                                                    StaffSession.ended_at.is_(None))
                         .values(ended_at=utcnow())).rowcount
    if revoke_tokens:
        sess.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))
    sess.commit()
    return ended


def issue_token(user: StaffUser, label: str = "", days: int | None = 90) -> str:
    """Create an API bearer token for `user`; only its hash is stored, the token is returned once."""
    token = new_token()
    sess = db.begin_write()
    sess.add(ApiToken(user_id=user.id, token_hash=token_digest(token), label=label[:100],
                      expires_at=utcnow() + timedelta(days=days) if days else None))
    sess.commit()
    return token


def get_staff_user(username: str) -> StaffUser | None:
    return db.session().scalar(select(StaffUser).where(StaffUser.username == (username or "").lower()))


def staff_users(ids) -> dict[int, StaffUser]:
    """The staff users with these ids (unknown ids left out), for showing names next to their work."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in db.session().scalars(select(StaffUser).where(StaffUser.id.in_(wanted)))}


def authenticate(username: str, password: str) -> StaffUser | None:
    """Check a username and password (constant work whether or not the user exists)."""
    username = clean_identifier(username)[:80]
    user = db.session().scalar(select(StaffUser).where(StaffUser.username == username)) if username else None
    ok = verify_password(user.password_hash if user else None, password or "")
    return user if ok and user is not None and user.active else None


def _login_key(username: str) -> str:
    return clean_identifier(username).strip().lower()[:80]


def failures(username: str) -> int:
    """Failed logins of `username` within the lockout window."""
    since = utcnow() - WINDOW
    return db.session().scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.username == _login_key(username), LoginFailure.at >= since)) or 0


def _reserve_attempt(key: str) -> bool:
    """Count this attempt as a failure before the password is checked; False when locked out.

    Check-then-insert would let parallel attempts all pass the check: here each attempt first writes
    its row, under a lock per username (SQLite: the write lock; PostgreSQL: an advisory lock), and
    counts the rows up to its own, so at most MAX_FAILURES attempts per window reach the password."""
    sess = db.begin_write()
    if sess.get_bind().dialect.name == "postgresql":
        sess.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "staff-login:" + key})
    attempt = LoginFailure(username=key)
    sess.add(attempt)
    sess.flush()
    since = utcnow() - WINDOW
    earlier = sess.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.username == key, LoginFailure.at >= since, LoginFailure.id < attempt.id)) or 0
    if earlier >= MAX_FAILURES:
        sess.delete(attempt)     # refused without a check: it does not extend the lockout
    sess.commit()
    return earlier < MAX_FAILURES


def login_staff(username: str, password: str) -> StaffUser | None:
    """Check the password unless locked out (raises LockedOut); a success clears the failures."""
    key = _login_key(username)
    if not _reserve_attempt(key):
        raise LockedOut()
    user = authenticate(key, password)
    if user is not None:
        sess = db.begin_write()
        sess.execute(delete(LoginFailure).where(LoginFailure.username == key))
        sess.commit()
    return user


def start_session(user: StaffUser) -> str:
    """A new console session for `user`; returns its token (for the cookie; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    sess = db.begin_write()
    sess.add(StaffSession(token_hash=token_digest(token), user_id=user.id))
    sess.commit()
    return token


def session_user(token: object) -> StaffUser | None:
    """The user of a console session that has not ended, or None."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    row = db.session().scalar(select(StaffSession).where(StaffSession.token_hash == token_digest(token)))
    if row is None or row.ended_at is not None:
        return None
    return db.session().get(StaffUser, row.user_id)


def end_session(token: object) -> None:
    """Sign out: the session ends on the server (a copied cookie no longer works)."""
    if not isinstance(token, str) or not token:
        return
    sess = db.begin_write()
    sess.execute(update(StaffSession).where(StaffSession.token_hash == token_digest(token),
                                            StaffSession.ended_at.is_(None)).values(ended_at=utcnow()))
    sess.commit()


def purge_staff_sessions(cutoff) -> int:
    """Delete sessions that ended, or started, before `cutoff` (a console session lasts a working day)."""
    sess = db.begin_write()
    done = sess.execute(delete(StaffSession).where(
        (StaffSession.created_at < cutoff) | (StaffSession.ended_at < cutoff))).rowcount
    sess.commit()
    return done
