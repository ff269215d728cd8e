"""The audit log: who read or changed personal data, and every public lookup attempt.

Its table (AuditEvent) and the helpers every feature uses to write it.

Rows never contain a secret (access code, password, token) or the client's IP address: the client
is a truncated keyed hash of the IP, enough to see repeated attempts from one place.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import db
from .db import Base
from .timeutil import utcnow


class AuditEvent(Base):
    """Who read or changed what, and every public lookup attempt. Never a code, password or token."""
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(40))          # "staff:<id>" | "public" | "system"
    action: Mapped[str] = mapped_column(String(60))         # e.g. appointment.lookup, case.read
    object_type: Mapped[str] = mapped_column(String(30))
    object_ref: Mapped[str] = mapped_column(String(60), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="ok")   # ok | denied | failed
    client: Mapped[str] = mapped_column(String(16), default="")      # truncated keyed hash of the IP


def client_fingerprint() -> str:
    if not has_request_context():
        return ""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, (request.remote_addr or "").encode(), hashlib.sha256).hexdigest()[:16]


def current_actor() -> str:
    staff = getattr(g, "staff", None) if has_request_context() else None
    if staff is not None:
        return f"staff:{staff.id}"
    return "public" if has_request_context() else "system"


def _event(action: str, object_type: str, object_ref: str, outcome: str, actor: str | None) -> AuditEvent:
    return AuditEvent(actor=actor or current_actor(), action=action, object_type=object_type,
                      object_ref=(object_ref or "")[:60], outcome=outcome, client=client_fingerprint())


def record(action: str, object_type: str, object_ref: str = "", outcome: str = "ok",
           actor: str | None = None, sess: Session | None = None) -> None:
    """Add an audit row to the request's transaction (written with the change it describes)."""
    (sess or db.session()).add(_event(action, object_type, object_ref, outcome, actor))


def record_now(action: str, object_type: str, object_ref: str = "", outcome: str = "ok",
               actor: str | None = None) -> None:
    """Write an audit row in its own transaction (kept even when the request then fails)."""
    db.engine()
    maker = current_app.extensions["db_sessionmaker"]
    with maker() as sess:
        db.begin_write(sess)
        sess.add(_event(action, object_type, object_ref, outcome, actor))
        sess.commit()
