"""Direct knowledge answers for degraded mode (Rasa down): the portal's own search, in-process."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def _semantic(q: str, lang: str, k: int) -> dict | None:
    """The semantic search operation behind /api/v1/search (None when it cannot answer)."""
    from portal.search import operations
    if not hasattr(operations, "search_services"):
        return None
    return operations.search_services(q, lang, k, source="bot").to_json()   # degraded chat answers for the bot


def search(q: str, lang: str, k: int = 3) -> dict:
    """{"lang", "abstain", "results": [{"service", "title", "score", "url", "answer"}]} like the API."""
    try:
        found = _semantic(q, lang, k)
    except Exception:  # noqa: BLE001 - degraded mode must still answer: honestly, without a result
        log.exception("search failed in degraded chat")
        found = None
    return found if found is not None else {"lang": lang, "abstain": True, "results": []}
