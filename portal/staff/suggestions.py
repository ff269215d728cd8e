"""Suggested answers for call-centre agents: the search engine's top services, in two languages."""
from __future__ import annotations

from knowledge.loader import plain
from knowledge.schema import SOURCE_LANG

from ..search.operations import get_engine, search_services
from .queue import note_search

TOP = 3


def _turkish(engine, slug: str) -> dict:
    svc = engine.kb_provider().service(slug)
    text = svc.text(SOURCE_LANG) if svc else None
    if text is None:
        return {"title": "", "answer": ""}
    return {"title": plain(text.title), "answer": plain(text.answer)}


def _candidates(engine, q: str, lang: str) -> list[dict]:
    """Best services even when the engine abstains (the agent still wants something to look at)."""
    kb, rows = engine.kb_provider(), []
    for ranked in engine.rank(q, lang):
        item = engine._result(kb, ranked, lang)   # noqa: SLF001 - same shape as a search result
        if item is not None:
            rows.append(item)
        if len(rows) >= TOP:
            break
    return rows


def suggest_answers(q: object, lang: object = None) -> dict:
    """Top 3 services for an agent's question: caller-language and Turkish answer, documents, guide.

    `lang` overrides language detection. Raises ValidationFailed / SearchUnavailable like the search.
    """
    result = search_services(q, lang, TOP)
    engine = get_engine()
    rows = result.results or _candidates(engine, " ".join(str(q).split()), result.lang)
    note_search(str(q), result, "console", rows[0]["service"] if rows else "")
    suggestions = []
    for row in rows:
        documents, docs_fallback = engine.service_documents(row["service"], result.lang)
        tr = _turkish(engine, row["service"])
        suggestions.append({
            "service": row["service"], "title": row["title"], "score": row["score"],
            "confidence": max(0, min(100, round(row["score"] * 100))),
            "answer": row["answer"], "fallback": row.get("fallback", False),
            "title_tr": tr["title"], "answer_tr": tr["answer"],
            "documents": documents, "documents_fallback": docs_fallback, "url": row["url"],
        })
    return {"lang": result.lang, "abstain": result.abstain, "suggestions": suggestions}
