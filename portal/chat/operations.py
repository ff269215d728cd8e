"""Chat operations: one user turn (emergency screen -> handoff -> Rasa -> degraded fallback), the
handoff lifecycle used by the staff console, and the retention purge.

Handoff statuses: waiting (queued for staff) -> claimed (a person has the conversation; the bot is
silent) -> closed (handed back to the bot or finished).
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from knowledge import language

from ..appointments import grants
from ..db import begin_write, session
from ..errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ..inputs import clean_free_text
from ..metrics import count_chat_turn
from ..timeutil import utcnow
from . import pseudonyms, rasa_client, replies
from .emergency import screen
from .masking import mask
from .models import Conversation, Handoff, Message
from .tracker_purge import purge_rasa_tracker

MAX_MESSAGE = 1000
ACTIVE = ("waiting", "claimed")
# payloads a client may send as-is (button payloads trigger intents directly in Rasa)
PAYLOADS = {"/book_appointment", "/check_appointment", "/cancel_appointment", "/case_status",
            "/human_handoff", "/affirm", "/deny", "/stop", "/greeting", "/reschedule_appointment"}


def _hash(token: str) -> str:
    # a forged token may hold lone surrogates: hash them too (it then matches nothing) instead of failing
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def open_conversation(token: str | None, lang: str) -> tuple[Conversation, str]:
    """The conversation of `token`, or a new one (with a new token) when unknown."""
    if token and isinstance(token, str) and len(token) <= 100:
        conv = session().scalar(select(Conversation).where(Conversation.token_hash == _hash(token)))
        if conv is not None:
            return conv, token
    token = secrets.token_urlsafe(32)
    conv = Conversation(token_hash=_hash(token), sender=secrets.token_hex(16), lang=lang, page_lang=lang)
    session().add(conv)
    session().flush()
    return conv, token


def clean_message(text) -> str:
    if isinstance(text, str):
        text = clean_free_text(text)
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed(fields={"message": _("Please type your question.")})
    text = " ".join(text.split())[:MAX_MESSAGE]
    if text.startswith("/") and text not in PAYLOADS:
        text = text.lstrip("/").strip() or "?"
    return text


def _record(conv: Conversation, role: str, text: str, intent: str | None = None, author: str | None = None,
            buttons: list | None = None):
    msg = Message(conversation=conv, role=role, text=mask(text), intent=intent, author=author,
                  buttons=json.dumps(buttons, ensure_ascii=False) if buttons else None)
    session().add(msg)
    return msg


def active_handoff(conv: Conversation) -> Handoff | None:
    return session().scalar(select(Handoff).where(Handoff.conversation_id == conv.id,
                                                  Handoff.status.in_(ACTIVE)).order_by(Handoff.id.desc()))


def chat_turn(token: str | None, text, lang: str | None = None) -> dict:
    """Handle one user message; returns the /api/v1/chat response (see ARCHITECTURE.md).

    `handoff` in the response is null, "waiting" or "claimed". No database transaction is held
    while Rasa (and through it the actions, which call this portal's API) works on the message.
    """
    text = clean_message(text)
    emergency, margin = screen(text)    # before the transaction: it may encode the query
    sess = begin_write()
    conv, token = open_conversation(token, lang or "tr")
    if lang and lang != conv.page_lang:  # the user switched the page language
        conv.page_lang = conv.lang = lang
    conv.last_active_at = utcnow()
    _record(conv, "user", text)
    reply = None        # Rasa's answer, when it was asked and answered
    result = {"session": token, "lang": conv.lang, "messages": [], "intent": None, "sources": [],
              "handoff": None, "emergency": False, "degraded": False}
    handoff = active_handoff(conv)
    if emergency:
        conv.lang = language.resolve(text, conv.lang, eager=True)
        handoff = request_handoff(conv, urgent=True)
        result.update(lang=conv.lang, messages=replies.emergency(conv.lang), intent="emergency", emergency=True,
                      handoff=handoff.status)
        conv_id, current = conv.id, conv.lang
        sess.commit()       # the numbers are recorded first; the search (which may write) runs outside
        answer, sources = replies.answer_too(text, current)
        sess = begin_write()
        conv = sess.get(Conversation, conv_id)
        result["messages"] += answer
        result["sources"] = sources
    elif handoff is not None and not (handoff.urgent and handoff.status == "waiting") \
            and not (handoff.status == "waiting" and text == "/stop"):
        result.update(handoff=handoff.status, intent="human_handoff")
        if handoff.status == "waiting":
            result["messages"] = replies.handoff_waiting(conv.lang)
    else:
        if handoff is not None and not handoff.urgent:  # the user left the queue
            handoff.status, handoff.closed_at = "closed", utcnow()
        conv_id, sender, current = conv.id, conv.sender, conv.lang
        for_bot = pseudonyms.cover_text(sess, sender, text)     # Rasa never sees a real phone or code
        sess.commit()
        reply = _ask_rasa(sender, for_bot, current, margin)
        fallback_lang = language.resolve(text, current)
        wants_person = reply is None and text == "/human_handoff"    # the button works with Rasa down too
        degraded = reply is None and not wants_person
        fallback = replies.degraded(text, fallback_lang) if degraded else None     # outside the transaction
        sess = begin_write()
        conv = sess.get(Conversation, conv_id)
        if wants_person:
            conv.lang = fallback_lang
            result.update(lang=conv.lang, intent="human_handoff", degraded=True)
            _hand_over(conv, result)
        else:
            _apply_reply(conv, reply, result, fallback_lang, fallback)
        _guard(conv, result, in_form=bool(reply and reply.meta.get("form")))
        if result["handoff"] is None and (urgent := active_handoff(conv)) is not None:
            result["handoff"] = urgent.status   # an emergency waits for a person: the widget keeps polling
    for message in result["messages"]:
        _record(conv, "bot", message["text"], intent=result["intent"], buttons=message.get("buttons"))
    sess.commit()
    count_chat_turn(result, bot_replied=reply is not None)
    return result


MAX_REPEATS = 1   # the bot may say the same thing twice in a row, not three times


def _guard(conv: Conversation, result: dict, in_form: bool = False) -> None:
    """A conversation can never stay silent or stuck: an empty reply, or a form asking the same thing a
    third time in a row, starts a fresh Rasa conversation (new sender id: the old tracker, with whatever
    form or loop it was caught in, is left behind) and says so, with the main choices, in the user's
    language. (Outside forms a repeated reply offers the main choices itself: nothing is stuck.)"""
    if result["degraded"]:      # the portal's own answers (Rasa down): nothing to reset
        return
    digest = hashlib.sha256(json.dumps(result["messages"], sort_keys=True).encode()).hexdigest()[:16]
    conv.repeats = (conv.repeats or 0) + 1 if digest == conv.last_reply_hash and in_form else 0
    conv.last_reply_hash = digest
    if (result["messages"] or result["handoff"]) and conv.repeats <= MAX_REPEATS:
        return
    conv.sender, conv.repeats, conv.last_reply_hash = secrets.token_hex(16), 0, None
    result.update(messages=replies.restarted(conv.lang), intent=result["intent"] or "ask_question")


def _ask_rasa(sender: str, text: str, lang: str, danger_margin: float | None = None):
    try:
        return rasa_client.send(sender, text, lang, danger_margin)
    except rasa_client.RasaUnavailable:
        return None


def _apply_reply(conv: Conversation, reply, result: dict, fallback_lang: str, fallback) -> None:
    """Rasa's reply, or (None: Rasa unavailable) the degraded `fallback` answers, into the response."""
    if reply is None:
        conv.lang = fallback_lang
        messages, sources = fallback
        result.update(lang=conv.lang, messages=messages, sources=sources, intent="ask_question", degraded=True)
        return
    meta = reply.meta
    for message in reply.messages:
        if message.get("text"):
            message["text"] = pseudonyms.reveal_text(session(), conv.sender, message["text"])
    if meta.get("lang") in language.LANGS:
        conv.lang = meta["lang"]
    result.update(lang=conv.lang, messages=reply.messages, intent=meta.get("intent") or "ask_question",
                  sources=meta.get("sources") or [], emergency=bool(meta.get("emergency")))
    if result["emergency"]:
        request_handoff(conv, urgent=True)
    if isinstance(meta.get("booked"), str) and has_request_context():
        # booked in the chat: this browser may open the appointment's pages (details, calendar file)
        grants.grant("appointment", meta["booked"])
    if meta.get("handoff_request"):
        _hand_over(conv, result)


def _hand_over(conv: Conversation, result: dict) -> None:
    """Queue the conversation for a person (in working hours), and say so or say when staff answer."""
    handoff = request_handoff(conv)
    spec = current_app.config["HANDOFF_HOURS"]
    result["messages"] += (replies.handoff_queued(conv.lang) if handoff else
                           replies.handoff_unavailable(conv.lang, spec))
    result["handoff"] = handoff.status if handoff else None


def transcript(token: str | None, limit: int = 50) -> list[dict]:
    """The last messages of the conversation (masked), oldest first, for the no-JavaScript chat page."""
    if not token:
        return []
    conv = session().scalar(select(Conversation).where(Conversation.token_hash == _hash(token)))
    if conv is None:
        return []
    rows = session().scalars(select(Message).where(Message.conversation_id == conv.id)
                             .order_by(Message.id.desc()).limit(limit))
    return [{"id": m.id, "role": m.role, "text": m.text, "buttons": json.loads(m.buttons) if m.buttons else []}
            for m in reversed(list(rows))]


def messages_since(token: str | None, after: int = 0) -> dict:
    """Staff and system messages after message id `after` (the widget polls this during a handoff)."""
    if not token:
        raise NotFound()
    conv = session().scalar(select(Conversation).where(Conversation.token_hash == _hash(token)))
    if conv is None:
        raise NotFound()
    rows = session().scalars(select(Message).where(Message.conversation_id == conv.id, Message.id > after,
                                                   Message.role.in_(("agent", "system"))).order_by(Message.id))
    handoff = active_handoff(conv)
    return {"messages": [{"id": m.id, "role": m.role, "text": m.text} for m in rows],
            "handoff": handoff.status if handoff else None}


# --- handoff lifecycle -------------------------------------------------------------------------
# The staff side (claim, reply, hand back, close) changes rows inside the caller's write transaction:
# portal.staff.inbox.operations checks the role, begins the write, audits and commits.

def staff_available(now: datetime | None = None) -> bool:
    """Someone can take a chat now: inside the configured working hours."""
    from .hours import is_open
    return is_open(current_app.config["HANDOFF_HOURS"], now)


def request_handoff(conv: Conversation, now: datetime | None = None, urgent: bool = False) -> Handoff | None:
    """Queue the conversation for a person; None when nobody is on duty (the caller says so).
    An `urgent` request (an emergency) is queued at any hour and marks an open request urgent."""
    existing = active_handoff(conv)
    if existing is not None:
        existing.urgent = existing.urgent or urgent
        return existing
    if not urgent and not staff_available(now):
        return None
    handoff = Handoff(conversation=conv, lang=conv.lang, status="waiting", urgent=urgent)
    session().add(handoff)
    session().flush()
    return handoff


def waiting_handoffs() -> list[Handoff]:
    """The queue, oldest first."""
    return list(session().scalars(select(Handoff).where(Handoff.status == "waiting").order_by(Handoff.requested_at)))


def _get(handoff_id: int) -> Handoff:
    handoff = session().get(Handoff, handoff_id)
    if handoff is None:
        raise NotFound()
    return handoff


def claim_handoff(handoff_id: int, agent: str) -> Handoff:
    """Take a waiting conversation; atomic, so two agents can never claim the same one (Conflict)."""
    done = session().execute(
        update(Handoff).where(Handoff.id == handoff_id, Handoff.status == "waiting")
        .values(status="claimed", claimed_by=agent, claimed_at=utcnow())
        .execution_options(synchronize_session=False))
    handoff = _get(handoff_id)
    if done.rowcount != 1:
        raise Conflict()
    session().refresh(handoff)
    return handoff


def _owned(handoff_id: int, agent: str) -> Handoff:
    handoff = _get(handoff_id)
    if handoff.status != "claimed":
        raise Conflict()
    if handoff.claimed_by != agent:
        raise PermissionDenied()
    return handoff


def post_agent_reply(handoff_id: int, agent: str, text: str) -> Message:
    """A staff member writes to the user of a conversation they claimed."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed(fields={"text": _("Please write a reply.")})
    handoff = _owned(handoff_id, agent)
    msg = _record(handoff.conversation, "agent", text.strip()[:MAX_MESSAGE], author=agent)
    handoff.conversation.last_active_at = utcnow()
    session().flush()
    return msg


def hand_back(handoff_id: int, agent: str) -> Handoff:
    """Return the conversation to the bot."""
    handoff = _owned(handoff_id, agent)
    handoff.status, handoff.closed_at = "closed", utcnow()
    _record(handoff.conversation, "system", replies.handed_back(handoff.lang))
    return handoff


def close_handoff(handoff_id: int, agent: str | None = None) -> Handoff:
    """Finish a handoff (waiting or claimed); only its agent may close a claimed one."""
    handoff = _get(handoff_id)
    if handoff.status == "closed":
        return handoff
    if handoff.status == "claimed" and agent is not None and handoff.claimed_by != agent:
        raise PermissionDenied()
    handoff.status, handoff.closed_at = "closed", utcnow()
    return handoff


def purge_chat(days: int | None = None, now: datetime | None = None) -> int:
    """Delete conversations (messages, handoffs) inactive for `days` (default RETENTION_DAYS), and
    Rasa's tracker events of the same age."""
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    cutoff = (now or utcnow()) - timedelta(days=days)
    purge_rasa_tracker(cutoff)
    pseudonyms.purge_pseudonyms(now)
    old = select(Conversation.id).where(Conversation.last_active_at < cutoff)
    ids = list(session().scalars(old))
    if ids:
        session().execute(delete(Message).where(Message.conversation_id.in_(ids)))
        session().execute(delete(Handoff).where(Handoff.conversation_id.in_(ids)))
        session().execute(delete(Conversation).where(Conversation.id.in_(ids)))
    session().commit()
    return len(ids)
