"""POST /api/v1/search: the semantic search engine as JSON (contract in ARCHITECTURE.md)."""
from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import limiter
from ..i18n import is_language
from ..search import operations
from .routes import bp


class BadJSON(DomainError):
    status, code = 400, "invalid_json"


@bp.post("/search")
@limiter.limit("60/minute")
def search():
    """Search the knowledge base.

    Body: {"q": str (1..1000 chars), "lang"?: one of the nine codes, "k"?: int 1..10 (default 3)}.
    200: {"lang", "abstain", "results": [{"service", "title", "score", "url", "answer", "fallback"}]}.
    400 (not a JSON object) / 422 (invalid field) / 429 / 503 (no index): {"error", "message", "fields"},
    in the language of `lang`, else of Accept-Language.
    """
    body = request.get_json(silent=True, force=True)
    if isinstance(body, dict) and isinstance(body.get("lang"), str) and is_language(body["lang"]):
        g.lang = body["lang"]      # error messages in the asker's language
    if not isinstance(body, dict):
        raise BadJSON(_("Please send a JSON object."))
    source = "bot" if request.headers.get("X-Client") == "bot" else "search"   # the action server says so
    result = operations.search_services(body.get("q"), body.get("lang"), body.get("k"), source=source)
    return jsonify(result.to_json())
