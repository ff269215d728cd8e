"""The full-page /<lang>/chat that works without JavaScript (form post, 303 redirect) and the
call-back form. The JSON chat API is portal/api/chat.py."""
from __future__ import annotations

from flask import current_app, g, make_response, redirect, render_template, request, url_for

from ..errors import ValidationFailed
from ..extensions import limiter
from ..i18n import current_lang
from ..langbp import lang_blueprint
from . import callbacks, operations
from .replies import format_hours
from .session import COOKIE, set_session_cookie

page = lang_blueprint("chat", __name__, template_folder="templates")


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
    return set_session_cookie(make_response(redirect(target, 303)), result["session"])


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
