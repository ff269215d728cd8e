"""Suggested answers page (/staff/suggest) and agent feedback (/staff/feedback).

The page works without JavaScript; static/js/console.js fetches /api/v1/staff/suggest as the agent types.
"""
from __future__ import annotations

from flask import g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from knowledge.schema import LANGS

from ...errors import ValidationFailed
from ...search.operations import MAX_QUERY, SearchUnavailable
from ..auth.access import check_role
from ..guard import console_blueprint
from .operations import record_feedback, service_choices, suggest_answers

bp = console_blueprint("staff_suggest", __name__, "/staff")
FEEDBACK_FIELDS = ("q", "lang", "verdict", "service", "correct_service", "ranking")


def _page(q: str, caller: str = "", data=None, error: str | None = None, status: int = 200, saved: bool = False):
    return render_template("staff/suggest.html", q=q, caller=caller, data=data, error=error,
                           error_title=bool(error), services=service_choices(g.lang),
                           saved=saved), status


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
    return _page(q, caller, data, error, status, saved=request.args.get("saved") == "1")


@bp.post("/feedback")
def feedback():
    """Store "this helped" / "wrong suggestion" (form post: 303 back; JSON post: 201)."""
    agent = check_role("agent")
    data = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(data, dict) and not hasattr(data, "get"):
        data = {}
    fields = {k: data.get(k) for k in FEEDBACK_FIELDS}
    args = (agent, fields["q"], fields["lang"], fields["verdict"], fields["service"] or "",
            fields["correct_service"] or "", fields["ranking"] or "")
    if request.is_json:
        row = record_feedback(*args)
        return jsonify({"id": row.id, "verdict": row.verdict}), 201
    try:
        record_feedback(*args)
    except ValidationFailed as exc:
        return _page(fields["q"] or "", error=exc.message, status=422)
    return redirect(url_for("staff_suggest.suggest", q=fields["q"], caller=fields["lang"] or "", saved=1), 303)
