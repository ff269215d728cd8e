"""Suggested answers for call-centre agents: the search engine's top services, in two languages."""
from __future__ import annotations

import threading
from collections import OrderedDict

from knowledge.loader import plain
from knowledge.schema import SOURCE_LANG
from knowledge.search.langid import detect_language

from ..search.operations import get_engine, validate_lang, validate_query
from .queue import note_search

TOP = 3
CACHE_SIZE = 512     # recent answers per process: agents repeat common questions; cheap to keep
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def _turkish(kb, slug: str) -> dict:
    svc = kb.service(slug)
    text = svc.text(SOURCE_LANG) if svc else None
    if text is None:
        return {"title": "", "answer": ""}
    return {"title": plain(text.title), "answer": plain(text.answer)}


def _top(engine, kb, ranked, lang: str) -> list[dict]:
    """The first TOP services that still exist, shaped like search results."""
    rows = []
    for row in ranked:
        item = engine._result(kb, row, lang)   # noqa: SLF001 - same shape as a search result
        if item is not None:
            rows.append(item)
        if len(rows) >= TOP:
            break
    return rows


def suggest_answers(q: object, lang: object = None) -> dict:
    """Top 3 services for an agent's question: caller-language and Turkish answer, documents, guide.

    `lang` overrides language detection. Raises ValidationFailed / SearchUnavailable like the search.
    Same ranking and abstention as the search API, but the query is encoded once: when the engine
    abstains the closest services are still listed (the agent wants something to look at).
    """
    text, lang = validate_query(q), validate_lang(lang)
    engine = get_engine()
    kb = engine.kb_provider()
    key = (id(engine), id(kb), text, lang)   # a rebuilt index or edited content gives new objects
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is not None:
        return _noted(text, cached)
    result_lang = detect_language(text, lang)
    ranked = engine.rank(text, result_lang)
    abstain = engine.should_abstain(ranked)
    suggestions = []
    for row in _top(engine, kb, ranked, result_lang):
        documents, docs_fallback = engine.service_documents(row["service"], result_lang)
        tr = _turkish(kb, row["service"])
        suggestions.append({
            "service": row["service"], "title": row["title"], "score": row["score"],
            "confidence": max(0, min(100, round(row["score"] * 100))),
            "answer": row["answer"], "fallback": row.get("fallback", False),
            "title_tr": tr["title"], "answer_tr": tr["answer"],
            "documents": documents, "documents_fallback": docs_fallback, "url": row["url"],
        })
    data = {"lang": result_lang, "abstain": abstain or not suggestions, "suggestions": suggestions}
    with _cache_lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return _noted(text, data)


def _noted(text: str, data: dict) -> dict:
    """Queue an abstention for the content team (portal/staff/queue.py), cached answer or not."""
    top = data["suggestions"][0]["service"] if data["suggestions"] else ""
    note_search(text, data["lang"], data["abstain"], "console", top)
    return data
