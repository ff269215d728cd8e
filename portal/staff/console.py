"""The call-centre console under /staff (HTML, session login) and its JSON calls.

Every route except the login page needs a signed-in agent (or higher role); HTML pages redirect
anonymous users to the login form, JSON calls answer 401/403 with the shared error shape.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from knowledge.schema import LANGS

from ..errors import ValidationFailed
from ..knowledge_access import knowledge
from ..search.operations import MAX_QUERY, SearchUnavailable
from .auth import check_role, login_session, logout_session
from .feedback import record_feedback
from .guard import console_blueprint
from .lockout import LockedOut, login_staff
from .suggestions import suggest_answers

bp = console_blueprint("staff_console", __name__, "/staff")


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/staff/"):
        return url_for("staff_console.suggest")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """GET: the sign-in form. POST: check the password (with lockout), start the session."""
    error, status = None, 200
    username = ""
    if request.method == "POST":
        username = (request.form.get("username") or "")[:80]
        try:
            user = login_staff(username, request.form.get("password") or "")
        except LockedOut:
            user, error, status = None, _("Too many failed attempts. Try again in 15 minutes."), 429
        else:
            if user is None:
                error, status = _("The username or password is not right."), 401
        if user is not None:
            login_session(user)
            return redirect(_safe_next(request.args.get("next")), 303)
    return render_template("staff/login.html", error=error, error_title=bool(error), username=username), status


@bp.post("/logout")
def logout():
    """End the staff session."""
    logout_session()
    return redirect(url_for("staff_console.login"), 303)


def _services() -> list[tuple[str, str]]:
    kb, lang = knowledge(), g.lang
    rows = []
    for slug, svc in kb.services.items():
        text = svc.text(lang) or svc.text("tr")
        rows.append((slug, text.title if text else slug))
    return sorted(rows, key=lambda r: r[1].lower())


@bp.get("/")
def home():
    return redirect(url_for("staff_console.suggest"), 303)


@bp.get("/suggest")
def suggest():
    """The suggested-answers page; with `q` it shows the suggestions (works without JavaScript)."""
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    caller = request.args.get("caller") or ""
    caller = caller if caller in LANGS else ""
    data, error, status = None, None, 200
    if q:
        try:
            data = suggest_answers(q, caller or None)
        except ValidationFailed as exc:
            error, status = exc.message, 422
        except SearchUnavailable:
            error, status = _("Search is not available at the moment."), 503
    return render_template("staff/suggest.html", q=q, caller=caller, data=data, error=error,
                           error_title=bool(error), services=_services(), langs=LANGS,
                           saved=request.args.get("saved") == "1"), status


@bp.get("/api/suggest")
def api_suggest():
    """GET /staff/api/suggest?q=...&caller=xx: the top 3 suggestions as JSON."""
    caller = request.args.get("caller") or None
    return jsonify(suggest_answers(request.args.get("q"), caller))


@bp.post("/feedback")
def feedback():
    """Store "this helped" / "wrong suggestion" (form post: 303 back; JSON post: 201)."""
    agent = check_role("agent")
    data = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(data, dict) and not hasattr(data, "get"):
        data = {}
    fields = {k: data.get(k) for k in ("q", "lang", "verdict", "service", "correct_service", "ranking")}
    if request.is_json:
        row = record_feedback(agent, fields["q"], fields["lang"], fields["verdict"], fields["service"] or "",
                              fields["correct_service"] or "", fields["ranking"] or "")
        return jsonify({"id": row.id, "verdict": row.verdict}), 201
    try:
        record_feedback(agent, fields["q"], fields["lang"], fields["verdict"], fields["service"] or "",
                        fields["correct_service"] or "", fields["ranking"] or "")
    except ValidationFailed as exc:
        return render_template("staff/suggest.html", q=fields["q"] or "", caller="", data=None,
                               error=exc.message, error_title=True, services=_services(), langs=LANGS,
                               saved=False), 422
    return redirect(url_for("staff_console.suggest", q=fields["q"], caller=fields["lang"] or "", saved=1), 303)
