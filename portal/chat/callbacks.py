"""After-hours call-back requests: a person leaves a message and a phone number when nobody is on duty;
staff call back the next working day. Stored with consent, purged with the chat data."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ..appointments.validation import clean_phone
from ..db import begin_write, session
from ..errors import Conflict, NotFound, ValidationFailed
from ..inputs import clean_free_text
from ..timeutil import utcnow
from .masking import mask
from .models import CallbackRequest

MAX_MESSAGE = 1000


def check_form(form) -> tuple[dict, dict]:
    """(clean values, errors in the user's language) of the call-back form."""
    errors, values = {}, {}
    message = " ".join(mask(clean_free_text(str(form.get("message") or ""))).split())    # the phone has its field
    if not message:
        errors["message"] = _("Write your message")
    elif len(message) > MAX_MESSAGE:
        errors["message"] = _("Your message must be %(n)s characters or fewer", n=MAX_MESSAGE)
    values["message"] = message
    phone, error = clean_phone(form.get("phone"))
    if error:
        errors["phone"] = error
    values["phone"] = phone
    if form.get("consent") != "yes":
        errors["consent"] = _("To be called back, agree that we keep your message and phone number")
    return values, errors


def leave_callback(form, lang: str) -> CallbackRequest:
    """Store a call-back request; raises ValidationFailed with per-field messages."""
    values, errors = check_form(form)
    if errors:
        raise ValidationFailed(fields=errors)
    sess = begin_write()
    request = CallbackRequest(lang=lang, message=values["message"], phone=values["phone"])
    sess.add(request)
    sess.commit()
    return request


def open_callbacks() -> list[CallbackRequest]:
    """Open requests, oldest first (the staff inbox audits who saw their phone numbers)."""
    return list(session().scalars(select(CallbackRequest).where(CallbackRequest.status == "open")
                                  .order_by(CallbackRequest.created_at, CallbackRequest.id)))


def mark_done(callback_id: int, agent: str) -> None:
    """An agent called back: the request leaves the list (once; a second click is a Conflict).
    Runs in the caller's write transaction (portal.staff.inbox.operations audits and commits)."""
    sess = session()
    if sess.get(CallbackRequest, callback_id) is None:
        raise NotFound()
    done = sess.execute(update(CallbackRequest).where(CallbackRequest.id == callback_id,
                                                      CallbackRequest.status == "open")
                        .values(status="done", done_by=agent, done_at=utcnow())).rowcount
    if not done:
        raise Conflict()


def purge_callbacks(days: int | None = None, now: datetime | None = None) -> int:
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    cutoff = (now or utcnow()) - timedelta(days=days)
    deleted = session().execute(delete(CallbackRequest).where(CallbackRequest.created_at < cutoff)).rowcount
    session().commit()
    return deleted
