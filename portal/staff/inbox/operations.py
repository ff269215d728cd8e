"""Handover inbox operations: the list and a conversation's transcript (views shaped for the pages
and the JSON polling endpoints), and the agent's changes (take, reply, hand back, close, call-back done).

Each change checks the role, opens the write, adds its audit row, applies the chat's handoff
change (portal/chat/operations.py) and commits both; a refused change is rolled back and its refusal
audited on its own. Every view of a transcript writes a "chat.view" row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_timedelta, gettext as _
from sqlalchemy import select

from ...appointments.validation import display_phone
from ...audit import record, record_now
from ...chat import callbacks, operations as chat
from ...chat.models import Handoff, Message
from ...db import begin_write, session
from ...errors import DomainError, NotFound, ValidationFailed
from ...i18n import LANGUAGES
from ...timeutil import as_istanbul, iso_utc, utcnow
from ..auth.access import ensure_role
from ..auth.models import StaffUser
from ..auth.operations import staff_users

OBJECT = "chat_handoff"
MAX_REPLY = chat.MAX_MESSAGE


# -- views -----------------------------------------------------------------------------------------
def iso_time(value: datetime) -> str:
    """UTC ISO time without microseconds (HTML <time> allows at most milliseconds)."""
    return iso_utc(value.replace(microsecond=0))


def agent_ref(user: StaffUser) -> str:
    """How the chat operations name the agent (Handoff.claimed_by, Message.author)."""
    return f"staff:{user.id}"


def _staff_names(refs: set[str]) -> dict[str, str]:
    ids = {int(r[6:]) for r in refs if r and r.startswith("staff:") and r[6:].isdigit()}
    return {f"staff:{u.id}": u.full_name or u.username for u in staff_users(ids).values()}


def _duration(start: datetime, end: datetime | None = None) -> dict:
    seconds = max(0, int(((end or utcnow()) - start).total_seconds()))
    return {"seconds": seconds, "iso": f"PT{seconds}S",
            "text": format_timedelta(seconds, threshold=1.5, granularity="second", add_direction=False)}


def _row(handoff: Handoff, names: dict[str, str], me: str) -> dict:
    lang = handoff.lang if handoff.lang in LANGUAGES else "tr"
    return {
        "id": handoff.id,
        "status": handoff.status,
        "lang": lang,
        "lang_name": LANGUAGES[lang][0],
        "requested_at": iso_time(handoff.requested_at),
        "requested_local": f"{as_istanbul(handoff.requested_at):%H:%M}",
        "wait": _duration(handoff.requested_at, handoff.claimed_at),
        "claimed_by": names.get(handoff.claimed_by or "", handoff.claimed_by) if handoff.claimed_by else None,
        "mine": handoff.claimed_by == me,
        "urgent": bool(handoff.urgent),
    }


def _role_label(role: str) -> str:
    return {"user": _("Applicant"), "bot": _("Assistant"), "agent": _("Staff"),
            "system": _("System")}.get(role, role)


def _handoff(handoff_id: int) -> Handoff:
    handoff = session().get(Handoff, handoff_id)
    if handoff is None:
        raise NotFound()
    return handoff


def _conversation(handoff_id: int, me: str, after: int = 0) -> dict:
    """A handover with its (masked) transcript after message id `after`."""
    handoff = _handoff(handoff_id)
    messages = list(session().scalars(select(Message).where(
        Message.conversation_id == handoff.conversation_id, Message.id > after).order_by(Message.id)))
    names = _staff_names({handoff.claimed_by or ""} | {m.author or "" for m in messages})
    view = _row(handoff, names, me)
    view["messages"] = [{"id": m.id, "role": m.role, "label": _role_label(m.role), "text": m.text,
                         "author": names.get(m.author or "", "") if m.role == "agent" else "",
                         "at": iso_time(m.created_at), "at_local": f"{as_istanbul(m.created_at):%H:%M}"}
                        for m in messages]
    view["dir"] = LANGUAGES[view["lang"]][1]
    return view


def _audit_view(handoff_id: int) -> None:
    begin_write()
    record("chat.view", OBJECT, str(handoff_id))
    session().commit()


def list_handoffs(user: StaffUser) -> list[dict]:
    """Urgent (emergency) conversations first, then waiting ones (oldest first), then the claimed
    ones (agent or higher; no chat text, so no audit row)."""
    me = agent_ref(ensure_role(user, "agent"))
    handoffs = list(session().scalars(
        select(Handoff).where(Handoff.status.in_(("waiting", "claimed")))
        .order_by(Handoff.urgent.desc(), Handoff.status.desc(), Handoff.requested_at, Handoff.id)))
    names = _staff_names({h.claimed_by for h in handoffs if h.claimed_by})
    return [_row(h, names, me) for h in handoffs]


def _callback_rows(rows) -> list[dict]:
    return [{"id": r.id, "lang": r.lang, "lang_name": LANGUAGES.get(r.lang, (r.lang,))[0], "message": r.message,
             "phone": display_phone(r.phone), "tel": r.phone, "received": iso_time(r.created_at),
             "received_local": f"{as_istanbul(r.created_at):%d.%m %H:%M}"} for r in rows]


@dataclass
class InboxOverview:
    handoffs: list[dict]        # list_handoffs rows
    callbacks: list[dict]       # open call-back requests (phone numbers: viewing them is audited)
    handover_open: bool         # within the hand-over hours now


def inbox_overview(user: StaffUser) -> InboxOverview:
    """What the inbox page shows: the conversations, the open call-back requests, whether hand-over is open."""
    handoffs = list_handoffs(user)
    rows = callbacks.open_callbacks()
    if rows:                  # phone numbers were shown: audited
        begin_write()
        record("callback.view", "chat_callback", ",".join(str(r.id) for r in rows)[:200])
        session().commit()
    return InboxOverview(handoffs, _callback_rows(rows), chat.staff_available())


def describe_handoff(user: StaffUser, handoff_id: int) -> dict | None:
    """The state of one handover without its transcript (None when it does not exist)."""
    me = agent_ref(ensure_role(user, "agent"))
    handoff = session().get(Handoff, handoff_id)
    if handoff is None:
        return None
    return _row(handoff, _staff_names({handoff.claimed_by or ""}), me)


def open_conversation(user: StaffUser, handoff_id: int) -> dict:
    """A handover with its whole (masked) transcript; audited as "chat.view"."""
    view = _conversation(handoff_id, agent_ref(ensure_role(user, "agent")))
    _audit_view(handoff_id)
    return view


def poll_conversation(user: StaffUser, handoff_id: int, after: int = 0) -> dict:
    """The handover's status and the transcript lines after message id `after`; audited when there are new lines."""
    view = _conversation(handoff_id, agent_ref(ensure_role(user, "agent")), after)
    if view["messages"]:
        _audit_view(handoff_id)
    return view


# -- changes ---------------------------------------------------------------------------------------
def _change(user: StaffUser, action: str, handoff_id: int, apply):
    """Role check, audit row and the chat operation `apply(agent_ref)` in one write transaction."""
    ref = str(handoff_id)
    try:
        me = agent_ref(ensure_role(user, "agent"))
        begin_write()
        record(f"chat.{action}", OBJECT, ref)
        result = apply(me)
        session().commit()        # the change and its audit row together
        return result
    except DomainError as err:
        session().rollback()
        record_now(f"chat.{action}", OBJECT, ref, outcome="failed" if isinstance(err, ValidationFailed) else "denied")
        raise


def claim_conversation(user: StaffUser, handoff_id: int) -> Handoff:
    """Take a waiting conversation (atomic: when two agents try at once, one gets a Conflict)."""
    return _change(user, "claim", handoff_id, lambda me: chat.claim_handoff(handoff_id, me))


def reply_to_conversation(user: StaffUser, handoff_id: int, text: str) -> Message:
    """Post the agent's reply into the applicant's chat (only the agent who took it)."""
    return _change(user, "reply", handoff_id, lambda me: chat.post_agent_reply(handoff_id, me, text))


def hand_back_conversation(user: StaffUser, handoff_id: int) -> Handoff:
    """Return the conversation to the assistant (only the agent who took it)."""
    return _change(user, "hand_back", handoff_id, lambda me: chat.hand_back(handoff_id, me))


def close_conversation(user: StaffUser, handoff_id: int) -> Handoff:
    """Finish the handover (a waiting one, or one this agent has)."""
    return _change(user, "close", handoff_id, lambda me: chat.close_handoff(handoff_id, me))


def mark_callback_done(user: StaffUser, callback_id: int) -> None:
    """An agent called the person back (once; a second click is a Conflict). Audited "callback.done"."""
    me = agent_ref(ensure_role(user, "agent"))
    begin_write()
    try:
        callbacks.mark_done(callback_id, me)
    except DomainError:
        session().rollback()
        raise
    record("callback.done", "chat_callback", str(callback_id))
    session().commit()
