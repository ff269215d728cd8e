"""Handover inbox: conversations the bot handed to a person. One agent at a time takes a
conversation, replies into the same chat, hands it back to the bot or closes it.

Plain form posts (303 back) do everything; static/js/inbox.js only refreshes the list and the open
transcript through the JSON endpoints under /staff/api/inbox. Every view of a transcript and every
change writes an audit row.
"""
from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from ..appointments.validation import display_phone
from ..audit import record, record_now
from ..chat import callbacks, operations as chat
from ..chat.replies import format_hours
from ..db import begin_write, session
from ..errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from ..i18n import LANGUAGES
from ..timeutil import as_istanbul
from .auth import check_role
from .guard import console_blueprint
from .handovers import agent_ref, conversation_view, inbox_rows, iso_time

bp = console_blueprint("staff_inbox", __name__, "/staff", role="agent")
OBJECT = "chat_handoff"
NOTICES = {"handed_back": lambda: _("The conversation is back with the assistant."),
           "closed": lambda: _("The conversation is closed."),
           "called": lambda: _("The call-back request is marked as done.")}


def _me() -> str:
    return agent_ref(check_role("agent"))


def _error_message(err: DomainError, view: dict | None) -> str:
    """A clear, translated sentence for a domain error on an inbox action."""
    if isinstance(err, ValidationFailed):
        return _("Write a reply before sending.")
    if isinstance(err, NotFound):
        return _("This conversation does not exist.")
    if view and view["status"] == "claimed" and not view["mine"]:
        return _("%(name)s has already taken this conversation.", name=view["claimed_by"])
    if view and view["status"] == "closed":
        return _("This conversation is already closed.")
    if view and view["status"] == "waiting":
        return _("Take this conversation first.")
    return _("Only the agent who took this conversation can do this.")


def _list_page(error: str | None = None, status: int = 200):
    rows = inbox_rows(_me())
    notice = NOTICES.get(request.args.get("done", ""))
    spec = current_app.config["HANDOFF_HOURS"]
    return render_template("staff/inbox/list.html", rows=rows, error=error, error_title=bool(error),
                           notice=notice() if notice else None, handover_open=chat.staff_available(),
                           callbacks=callback_rows(callbacks.open_callbacks(_me())),
                           handover_hours=format_hours(spec, get_locale().language if get_locale() else "tr")), status


def _conversation_page(handoff_id: int, error: str | None = None, status: int = 200, draft: str = ""):
    view = conversation_view(handoff_id, _me())
    begin_write()
    record("chat.view", OBJECT, str(handoff_id))
    session().commit()
    return render_template("staff/inbox/conversation.html", view=view, error=error, error_title=bool(error),
                           draft=draft), status


def _failed(handoff_id: int, action: str, err: DomainError, page: str, draft: str = ""):
    """Undo the request's pending changes, log the refusal, and show the page with a clear message."""
    session().rollback()
    record_now(f"chat.{action}", OBJECT, str(handoff_id), outcome="failed" if isinstance(err, ValidationFailed)
               else "denied")
    if isinstance(err, NotFound):
        return _list_page(_error_message(err, None), 404)
    view = conversation_view(handoff_id, _me())
    if page == "list":
        return _list_page(_error_message(err, view), err.status)
    return _conversation_page(handoff_id, _error_message(err, view), err.status, draft)


@bp.get("/inbox")
def inbox():
    """Waiting and claimed conversations with language, wait time and who has them."""
    return _list_page()


@bp.get("/inbox/<int:handoff_id>")
def conversation(handoff_id: int):
    """The masked transcript; reply, hand back and close for the agent who took it."""
    return _conversation_page(handoff_id)


@bp.post("/inbox/<int:handoff_id>/claim")
def claim(handoff_id: int):
    """Take a waiting conversation (atomic: when two agents try at once, one gets a conflict)."""
    me = _me()
    begin_write()
    record("chat.claim", OBJECT, str(handoff_id))
    try:
        chat.claim_handoff(handoff_id, me)
    except (Conflict, NotFound) as err:
        return _failed(handoff_id, "claim", err, "list")
    return redirect(url_for("staff_inbox.conversation", handoff_id=handoff_id), 303)


@bp.post("/inbox/<int:handoff_id>/reply")
def reply(handoff_id: int):
    """Post the agent's reply into the applicant's chat."""
    me, text = _me(), request.form.get("text", "")
    begin_write()
    record("chat.reply", OBJECT, str(handoff_id))
    try:
        chat.post_agent_reply(handoff_id, me, text)
    except (Conflict, NotFound, PermissionDenied, ValidationFailed) as err:
        return _failed(handoff_id, "reply", err, "conversation", draft=text[:chat.MAX_MESSAGE])
    return redirect(url_for("staff_inbox.conversation", handoff_id=handoff_id, _anchor="reply"), 303)


@bp.post("/inbox/<int:handoff_id>/hand-back")
def hand_back(handoff_id: int):
    """Return the conversation to the assistant."""
    me = _me()
    begin_write()
    record("chat.hand_back", OBJECT, str(handoff_id))
    try:
        chat.hand_back(handoff_id, me)
    except (Conflict, NotFound, PermissionDenied) as err:
        return _failed(handoff_id, "hand_back", err, "conversation")
    return redirect(url_for("staff_inbox.inbox", done="handed_back"), 303)


@bp.post("/inbox/<int:handoff_id>/close")
def close(handoff_id: int):
    """Finish the handover (a waiting one, or one this agent has)."""
    me = _me()
    begin_write()
    record("chat.close", OBJECT, str(handoff_id))
    try:
        chat.close_handoff(handoff_id, me)
    except (NotFound, PermissionDenied) as err:
        return _failed(handoff_id, "close", err, "conversation")
    return redirect(url_for("staff_inbox.inbox", done="closed"), 303)


@bp.get("/api/inbox")
def api_inbox():
    """GET /staff/api/inbox: {"handoffs": [...]} (no chat text, so no audit row)."""
    return jsonify({"handoffs": inbox_rows(_me())})


@bp.get("/api/inbox/<int:handoff_id>/messages")
def api_messages(handoff_id: int):
    """GET /staff/api/inbox/<id>/messages?after=<message id>: new transcript lines and the status."""
    after = request.args.get("after", "0")
    view = conversation_view(handoff_id, _me(), int(after) if after.isdigit() else 0)
    if view["messages"]:
        begin_write()
        record("chat.view", OBJECT, str(handoff_id))
        session().commit()
    return jsonify(view)


def callback_rows(rows) -> list[dict]:
    return [{"id": r.id, "lang": r.lang, "lang_name": LANGUAGES.get(r.lang, (r.lang,))[0], "message": r.message,
             "phone": display_phone(r.phone), "tel": r.phone, "received": iso_time(r.created_at),
             "received_local": f"{as_istanbul(r.created_at):%d.%m %H:%M}"} for r in rows]


@bp.post("/inbox/callbacks/<int:callback_id>/done")
def callback_done(callback_id: int):
    """An agent called the person back."""
    try:
        callbacks.mark_done(callback_id, _me())
    except (NotFound, Conflict) as err:
        session().rollback()
        return _list_page(_("This call-back request is already done or no longer exists."), err.status)
    return redirect(url_for("staff_inbox.inbox", done="called"), 303)
