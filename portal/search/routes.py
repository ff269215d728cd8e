"""The portal's search page (works without JavaScript); results in the page language."""
from __future__ import annotations

from flask import render_template, request

from ..errors import ValidationFailed
from ..i18n import current_lang
from ..langbp import lang_blueprint
from . import operations

bp = lang_blueprint("search", __name__, template_folder="templates")


@bp.get("/search")
def search():
    """GET /<lang>/search?q=...: the semantic engine's answers, or a message when none fits."""
    q = (request.args.get("q") or "").strip()
    result, error, unavailable = None, None, False
    if q:
        try:
            result = operations.search_services(q, current_lang(), 5, source="search")
        except ValidationFailed as exc:
            error = exc.message
        except operations.SearchUnavailable:
            unavailable = True
    status = 422 if error else 503 if unavailable else 200
    return render_template("search/search.html", q=q[: operations.MAX_QUERY], error=error, error_title=bool(error),
                           unavailable=unavailable, results=result.results if result else []), status
