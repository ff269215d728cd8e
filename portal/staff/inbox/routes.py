"""Handover inbox pages: conversations the bot handed to a person. One agent at a time takes a
conversation, replies into the same chat, hands it back to the bot or closes it.

Plain form posts (303 back) do everything; static/js/inbox.js only refreshes the list and the open
transcript through the JSON endpoints under /api/v1/staff/inbox (portal/api/staff.py).
"""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from ...chat.replies import format_hours
from ...errors import DomainError, NotFound, ValidationFailed
from ..auth.access import check_role
from ..guard import console_blueprint
from .operations import (MAX_REPLY, claim_conversation, close_conversation, describe_handoff,
                         hand_back_conversation, inbox_overview, mark_callback_done, open_conversation,
                         reply_to_conversation)

bp = console_blueprint("staff_inbox", __name__, "/staff", role="agent")
NOTICES = {"handed_back": lambda: _("The conversation is back with the assistant."),
           "closed": lambda: _("The conversation is closed."),
           "called": lambda: _("The call-back request is marked as done.")}


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
    overview = inbox_overview(check_role("agent"))
    notice = NOTICES.get(request.args.get("done", ""))
    locale = get_locale()
    return render_template("staff/inbox/list.html", rows=overview.handoffs, error=error, error_title=bool(error),
                           notice=notice() if notice else None, handover_open=overview.handover_open,
                           callbacks=overview.callbacks,
                           handover_hours=format_hours(current_app.config["HANDOFF_HOURS"],
                                                       locale.language if locale else "tr")), status


def _conversation_page(handoff_id: int, error: str | None = None, status: int = 200, draft: str = ""):
    view = open_conversation(check_role("agent"), handoff_id)
    return render_template("staff/inbox/conversation.html", view=view, error=error, error_title=bool(error),
                           draft=draft), status


def _failed(handoff_id: int, err: DomainError, page: str, draft: str = ""):
    """The page again with a clear message (the operation has rolled back and audited the refusal)."""
    if isinstance(err, NotFound):
        return _list_page(_error_message(err, None), 404)
    message = _error_message(err, describe_handoff(check_role("agent"), handoff_id))
    if page == "list":
        return _list_page(message, err.status)
    return _conversation_page(handoff_id, message, err.status, draft)


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
    try:
        claim_conversation(check_role("agent"), handoff_id)
    except DomainError as err:
        return _failed(handoff_id, err, "list")
    return redirect(url_for("staff_inbox.conversation", handoff_id=handoff_id), 303)


@bp.post("/inbox/<int:handoff_id>/reply")
def reply(handoff_id: int):
    """Post the agent's reply into the applicant's chat."""
    text = request.form.get("text", "")
    try:
        reply_to_conversation(check_role("agent"), handoff_id, text)
    except DomainError as err:
        return _failed(handoff_id, err, "conversation", draft=text[:MAX_REPLY])
    return redirect(url_for("staff_inbox.conversation", handoff_id=handoff_id, _anchor="reply"), 303)


@bp.post("/inbox/<int:handoff_id>/hand-back")
def hand_back(handoff_id: int):
    """Return the conversation to the assistant."""
    try:
        hand_back_conversation(check_role("agent"), handoff_id)
    except DomainError as err:
        return _failed(handoff_id, err, "conversation")
    return redirect(url_for("staff_inbox.inbox", done="handed_back"), 303)


@bp.post("/inbox/<int:handoff_id>/close")
def close(handoff_id: int):
    """Finish the handover (a waiting one, or one this agent has)."""
    try:
        close_conversation(check_role("agent"), handoff_id)
    except DomainError as err:
        return _failed(handoff_id, err, "conversation")
    return redirect(url_for("staff_inbox.inbox", done="closed"), 303)


@bp.post("/inbox/callbacks/<int:callback_id>/done")
def callback_done(callback_id: int):
    """An agent called the person back."""
    try:
        mark_callback_done(check_role("agent"), callback_id)
    except DomainError as err:
        return _list_page(_("This call-back request is already done or no longer exists."), err.status)
    return redirect(url_for("staff_inbox.inbox", done="called"), 303)
