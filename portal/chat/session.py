"""The chat session cookie, shared by the chat API and the no-JavaScript chat page."""
from __future__ import annotations

from flask import current_app, request

COOKIE = "chat_session"
COOKIE_AGE = 24 * 3600


def set_session_cookie(response, token: str):
    response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"], path="/")
    return response
