"""Staff accounts: create users, issue API tokens, check a console login (with lockout), look users up."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from ... import db
from ...errors import Conflict, ValidationFailed
from ...inputs import clean_identifier
from ...timeutil import utcnow
from .models import ROLES, ApiToken, LoginFailure, StaffUser
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
    if len(password or "") < MIN_PASSWORD:
        fields["password"] = f"password must have at least {MIN_PASSWORD} characters"
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


def login_staff(username: str, password: str) -> StaffUser | None:
    """Check the password unless locked out (raises LockedOut); record or clear failures."""
    key = _login_key(username)
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
