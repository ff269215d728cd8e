"""The chat API: POST /api/v1/chat (one turn) and GET /api/v1/chat/messages (handoff polling).

The conversation is kept by an HttpOnly cookie, or by the `session` field for clients without cookies.
"""
from __future__ import annotations

from flask import after_this_request, request
from flask_babel import gettext as _

from ..chat import operations
from ..chat.session import COOKIE, set_session_cookie
from ..errors import ValidationFailed
from ..extensions import limiter
from ..i18n import is_language
from .base import api_blueprint, error_responses, json_body
from .schemas import ChatPollQuerySchema, ChatPollSchema, ChatRequestSchema, ChatTurnSchema

blp = api_blueprint("chat_api", __name__, "The assistant (public).")


@blp.route("/chat", methods=["POST"])
@limiter.limit("60/minute")
@json_body(blp, ChatRequestSchema)
@blp.response(200, ChatTurnSchema)
@error_responses(blp, 422, 429)
def chat():
    """One chat turn. Emergencies are answered by the portal at once (112 first); when the assistant is
    unavailable the reply is the best knowledge answer and `degraded` is true."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(fields={"message": _("Please type your question.")})
    lang = body.get("lang")
    lang = lang if isinstance(lang, str) and is_language(lang) else None
    session = body.get("session")
    token = request.cookies.get(COOKIE) or (session if isinstance(session, str) else None)
    result = operations.chat_turn(token, body.get("message"), lang)
    after_this_request(lambda response: set_session_cookie(response, result["session"]))
    return result


@blp.route("/chat/messages", methods=["GET"])
@limiter.limit("60/minute")
@blp.arguments(ChatPollQuerySchema, location="query")
@blp.response(200, ChatPollSchema)
@error_responses(blp, 404, 422, 429)
def messages(args):
    """Messages from staff after `after` during a handoff, and the handoff's status."""
    token = request.cookies.get(COOKIE) or args.get("session")
    return operations.messages_since(token, args["after"])
