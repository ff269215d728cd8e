"""Rate-limit keys. Public requests are limited per client IP. The action server talks to the API for
every chat user from one IP, so its requests carry the shared internal token (ACTIONS_API_TOKEN) and a
hash of the user's conversation id: those are limited per conversation instead."""
from __future__ import annotations

import hmac
import re

from flask import current_app, request
from flask_limiter.util import get_remote_address

TOKEN_HEADER = "X-Actions-Token"
CONVERSATION_HEADER = "X-Conversation"
_CONVERSATION = re.compile(r"^[0-9a-f]{32}$")  # sha256 of the Rasa sender id, first 32 hex digits


def forwarded_conversation() -> str | None:
    """The conversation hash of an authenticated action-server request, else None."""
    if not from_action_server():
        return None
    conversation = request.headers.get(CONVERSATION_HEADER, "")
    return conversation if _CONVERSATION.match(conversation) else None


def from_action_server() -> bool:
    """The request carries the action server's shared token (an `X-Client: bot` header alone does not)."""
    expected = current_app.config.get("ACTIONS_API_TOKEN") or ""
    token = request.headers.get(TOKEN_HEADER, "")
    return bool(expected and token) and hmac.compare_digest(token.encode(), expected.encode())


def client_key() -> str:
    """The limiter key: the chat user's conversation for the action server, the IP for everyone else."""
    conversation = forwarded_conversation()
    return f"conversation:{conversation}" if conversation else get_remote_address()

def reference_key() -> str:
    """The appointment reference or case number a request tries a code for (JSON body or form)."""
    from .appointments.codes import normalise_reference
    body = request.get_json(silent=True) if request.is_json else request.form
    if not hasattr(body, "get"):
        return "reference:"
    value = body.get("reference") or body.get("number")
    return "reference:" + normalise_reference(value if isinstance(value, str) else "")


# Limits shared by the HTML and JSON front ends.
LOOKUP_LIMIT = "10 per minute;60 per hour"     # reference/number + access code guesses
BOOKING_LIMIT = "5 per minute;30 per hour"
READ_LIMIT = "120 per minute"
LOGIN_LIMIT = "20 per minute;100 per hour"      # staff sign-in attempts from one IP
