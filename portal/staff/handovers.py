"""Read side of the handover inbox: the queue rows and a conversation's transcript, ready for the
templates and the JSON polling endpoint. Changes go through portal/chat/operations.py."""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_timedelta, gettext as _
from sqlalchemy import select

from ..chat.models import Handoff, Message, utcnow
from ..db import session
from ..errors import NotFound
from ..i18n import LANGUAGES
from ..timeutil import as_istanbul, iso_utc
from .models import StaffUser


def iso_time(value: datetime) -> str:
    """UTC ISO time without microseconds (HTML <time> allows at most milliseconds)."""
    return iso_utc(value.replace(microsecond=0))


def agent_ref(user: StaffUser) -> str:
    """How the chat operations name the agent (Handoff.claimed_by, Message.author)."""
    return f"staff:{user.id}"


def _staff_names(refs: set[str]) -> dict[str, str]:
    ids = {int(r.split(":", 1)[1]) for r in refs if r and r.startswith("staff:") and r[6:].isdigit()}
    if not ids:
        return {}
    users = session().scalars(select(StaffUser).where(StaffUser.id.in_(ids)))
    return {f"staff:{u.id}": u.full_name or u.username for u in users}


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


def inbox_rows(me: str) -> list[dict]:
    """Urgent (emergency) conversations first, then waiting ones (oldest first), then the claimed ones."""
    handoffs = list(session().scalars(
        select(Handoff).where(Handoff.status.in_(("waiting", "claimed")))
        .order_by(Handoff.urgent.desc(), Handoff.status.desc(), Handoff.requested_at, Handoff.id)))
    names = _staff_names({h.claimed_by for h in handoffs if h.claimed_by})
    return [_row(h, names, me) for h in handoffs]


def role_label(role: str) -> str:
    return {"user": _("Applicant"), "bot": _("Assistant"), "agent": _("Staff"),
            "system": _("System")}.get(role, role)


def _messages(conversation_id: int, after: int = 0) -> list[Message]:
    return list(session().scalars(select(Message).where(Message.conversation_id == conversation_id,
                                                        Message.id > after).order_by(Message.id)))


def conversation_view(handoff_id: int, me: str, after: int = 0) -> dict:
    """A handover with its (masked) transcript after message id `after`."""
    handoff = session().get(Handoff, handoff_id)
    if handoff is None:
        raise NotFound()
    messages = _messages(handoff.conversation_id, after)
    names = _staff_names({handoff.claimed_by or ""} | {m.author or "" for m in messages})
    view = _row(handoff, names, me)
    view["messages"] = [{"id": m.id, "role": m.role, "label": role_label(m.role), "text": m.text,
                         "author": names.get(m.author or "", "") if m.role == "agent" else "",
                         "at": iso_time(m.created_at), "at_local": f"{as_istanbul(m.created_at):%H:%M}"}
                        for m in messages]
    view["dir"] = LANGUAGES[view["lang"]][1]
    return view
