"""Knowledge answers the portal gives itself (Rasa down, or next to an emergency reply): the same
in-process search as /api/v1/search."""
from __future__ import annotations

import logging

from ..errors import ValidationFailed
from ..search import operations

log = logging.getLogger(__name__)


def knowledge_answers(q: str, lang: str, k: int = 3) -> dict:
    """{"lang", "abstain", "results": [{"service", "title", "score", "url", "answer"}]} like the API;
    an honest abstention when the search itself fails."""
    try:
        return operations.search_services(q, lang, k, source="bot").to_json()
    except ValidationFailed:    # text the search cannot take (e.g. a replaced broken character): no answer
        return {"lang": lang, "abstain": True, "results": []}
    except Exception:  # noqa: BLE001 - the chat must still answer: honestly, without a result
        log.exception("search failed for a chat fallback answer")
        return {"lang": lang, "abstain": True, "results": []}
