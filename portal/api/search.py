"""POST /api/v1/search: the semantic search engine as JSON (contract in ARCHITECTURE.md)."""
from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import limiter
from ..i18n import is_language
from ..ratelimit import from_action_server
from ..search import operations
from .base import api_blueprint, error_responses, json_body
from .schemas import SearchRequestSchema, SearchResultSchema

blp = api_blueprint("search_api", __name__, "Search the service guides (public).")


class BadJSON(DomainError):
    status, code = 400, "invalid_json"


@blp.route("/search", methods=["POST"])
@limiter.limit("60/minute")
@json_body(blp, SearchRequestSchema)
@blp.response(200, SearchResultSchema)
@error_responses(blp, 400, 422, 429, 503)
def search():
    """Search the knowledge base: the best services for a question, with curated answers.

    400: the body is not a JSON object. 422: a field is not valid. 503: the index is not ready.
    Error messages follow `lang`, else Accept-Language.
    """
    body = request.get_json(silent=True, force=True)
    if isinstance(body, dict) and isinstance(body.get("lang"), str) and is_language(body["lang"]):
        g.lang = body["lang"]      # error messages in the asker's language
    if not isinstance(body, dict):
        raise BadJSON(_("Please send a JSON object."))
    source = "bot" if from_action_server() else "search"      # counted as the bot's only with its token
    return operations.search_services(body.get("q"), body.get("lang"), body.get("k"), source=source).to_json()
