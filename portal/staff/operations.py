"""Staff accounts: create users and issue API tokens."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from .. import db
from ..errors import Conflict, ValidationFailed
from ..timeutil import utcnow
from .models import ROLES, ApiToken, StaffUser
from .passwords import hash_password, new_token, token_digest

MIN_PASSWORD = 12


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
