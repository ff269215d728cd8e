"""The portal's search page (works without JavaScript)."""
from __future__ import annotations

from flask import render_template, request

from ..i18n import current_lang
from ..langbp import lang_blueprint
from . import operations

bp = lang_blueprint("search", __name__, template_folder="templates")


@bp.get("/search")
def search():
    q = (request.args.get("q") or "").strip()[: operations.MAX_QUERY]
    results = operations.keyword_search(q, current_lang()) if q else []
    return render_template("search/search.html", q=q, results=results)
