"""Chat endpoints: POST /api/v1/chat (JSON), GET /api/v1/chat/messages (handover polling) and the
full-page /<lang>/chat that works without JavaScript (form post, 303 redirect)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, make_response, redirect, render_template, request, url_for

from ..errors import ValidationFailed
from ..extensions import csrf, limiter
from ..i18n import current_lang, is_language
from ..langbp import lang_blueprint
from . import callbacks, operations
from .replies import format_hours

COOKIE = "chat_session"
COOKIE_AGE = 24 * 3600

api = Blueprint("chat_api", __name__, url_prefix="/api/v1/chat")
csrf.exempt(api)
page = lang_blueprint("chat", __name__, template_folder="templates")


def _with_cookie(response, token: str):
    response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/")
    return response


@api.post("")
@limiter.limit("60/minute")
def chat():
    """One chat turn: {"message", "lang"?, "session"?} -> {"session", "lang", "messages", "intent",
    "sources", "handoff", "emergency", "degraded"}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(fields={"message": "required"})
    lang = body.get("lang")
    lang = lang if isinstance(lang, str) and is_language(lang) else None
    token = request.cookies.get(COOKIE) or (body.get("session") if isinstance(body.get("session"), str) else None)
    result = operations.chat_turn(token, body.get("message"), lang)
    return _with_cookie(jsonify(result), result["session"])


@api.get("/messages")
@limiter.limit("60/minute")
def messages():
    """Messages from staff after ?after=<id> during a handover: {"messages": [...], "handoff"}."""
    token = request.cookies.get(COOKIE) or request.args.get("session")
    after = request.args.get("after", "0")
    return jsonify(operations.messages_since(token, int(after) if after.isdigit() else 0))


@page.get("/chat")
def chat_page():
    return render_template("chat/chat.html", transcript=operations.transcript(request.cookies.get(COOKIE)))


@page.post("/chat")
@limiter.limit("60/minute")
def chat_post():
    text = request.form.get("message", "")
    target = url_for("chat.chat_page", lang=g.lang, _anchor="latest")
    if not text.strip():
        return redirect(url_for("chat.chat_page", lang=g.lang, error=1), 303)
    result = operations.chat_turn(request.cookies.get(COOKIE), text, current_lang())
    return _with_cookie(make_response(redirect(target, 303)), result["session"])


@page.route("/chat/callback", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def callback():
    """Outside hand-over hours: leave a message and a phone number for a call back (works without JS)."""
    hours = format_hours(current_app.config["HANDOFF_HOURS"], current_lang())
    form, errors = request.form, {}
    if request.method == "POST":
        try:
            callbacks.leave_callback(form, current_lang())
        except ValidationFailed as err:
            errors = err.fields
        else:
            return render_template("chat/callback_done.html", hours=hours)
    return render_template("chat/callback.html", form=form, errors=errors, hours=hours), 422 if errors else 200
