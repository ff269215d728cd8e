"""Audit log helper: who read or changed personal data, and every public lookup attempt.

Rows never contain a secret (access code, password, token) or the client's IP address: the client
is a truncated keyed hash of the IP, enough to see repeated attempts from one place.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from . import db
from .staff.models import AuditEvent


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
