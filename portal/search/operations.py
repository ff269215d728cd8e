"""Search over the knowledge base (keyword matching; the semantic engine replaces this)."""
from __future__ import annotations

import re

from knowledge.loader import plain

from ..knowledge_access import knowledge

MAX_QUERY = 1000
_WORD = re.compile(r"\w{3,}", re.UNICODE)


def keyword_search(q: str, lang: str, k: int = 10) -> list[dict]:
    words = {w.casefold() for w in _WORD.findall(q or "")}
    if not words:
        return []
    scored = []
    for svc in knowledge().services.values():
        text = svc.text(lang) or svc.text("tr")
        if text is None:
            continue
        hay = plain(" ".join([text.title, text.summary, text.answer, *text.questions])).casefold()
        score = sum(1 for w in words if w in hay)
        if score:
            scored.append((score, svc.slug, text))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [{"service": slug, "title": plain(t.title), "answer": plain(t.answer), "score": s}
            for s, slug, t in scored[:k]]
