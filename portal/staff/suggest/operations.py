"""Suggested answers for call-centre agents (the search engine's top services, in two languages)
and the agents' feedback on them ("this helped" / "wrong suggestion" with the right service)."""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask_babel import gettext as _

from knowledge.language import Settled, settle
from knowledge.loader import plain
from knowledge.schema import LANGS, SOURCE_LANG

from ... import db
from ...chat.masking import mask
from ...collation import collated
from ...errors import ValidationFailed
from ...guides.operations import service_title
from ...knowledge_access import knowledge_base
from ...search.operations import get_engine, validate_lang, validate_query
from ...search.signals import announce_search
from ..auth.access import ensure_role
from ..auth.models import StaffUser
from ..queue.recording import queue_feedback
from .bands import band_of, features
from .models import Feedback

TOP = 3
CACHE_SIZE = 512     # recent answers per process: agents repeat common questions; cheap to keep
VERDICTS = ("helped", "wrong")
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


def suggest_answers(q: object, lang: object = None, held: object = None) -> dict:
    """Top 3 services for an agent's question: caller-language and Turkish answer, documents, guide,
    and the confidence band of the first one ("sure", "likely", "check"; see bands.py).

    `lang` overrides language detection; otherwise the language is settled while the agent types:
    `held` (the language the console shows so far) stays until the text clearly says otherwise, and a
    close second language of the same script comes back as `alternative` (knowledge.language.settle).
    Raises ValidationFailed / SearchUnavailable like the search. Same ranking and abstention as the
    search API, but the query is encoded once: when the engine abstains the closest services are
    still listed (the agent wants something to look at).
    """
    text, lang = validate_query(q), validate_lang(lang)
    held = held if held in LANGS else None
    engine = get_engine()
    kb = engine.kb_provider()
    key = (id(engine), id(kb), text, lang, held)   # a rebuilt index or edited content gives new objects
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is not None:
        return _announced(text, cached)
    choice = Settled(lang, None, True) if lang else settle(text, held)
    result_lang = choice.lang
    ranked = engine.rank(text, result_lang)
    abstain = engine.should_abstain(ranked)
    suggestions = []
    for row in _top(engine, kb, ranked, result_lang):
        documents, docs_fallback = engine.service_documents(row["service"], result_lang)
        tr = _turkish(kb, row["service"])
        suggestions.append({
            "service": row["service"], "title": row["title"], "score": row["score"],
            "answer": row["answer"], "fallback": row.get("fallback", False),
            "title_tr": tr["title"], "answer_tr": tr["answer"],
            "documents": documents, "documents_fallback": docs_fallback, "url": row["url"],
        })
    abstain = abstain or not suggestions
    data = {"lang": result_lang, "alternative": choice.alternative, "settled": choice.settled,
            "abstain": abstain, "band": band_of(*features(ranked), abstain), "suggestions": suggestions}
    with _cache_lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return _announced(text, data)


def _announced(text: str, data: dict) -> dict:
    """Tell the search's listeners (the unanswered-questions queue), cached answer or not."""
    top = data["suggestions"][0]["service"] if data["suggestions"] else ""
    announce_search(text, data["lang"], data["abstain"], "console", top)
    return data


def service_choices(lang: str) -> list[tuple[str, str]]:
    """(slug, title) of every service, by title in the reader's alphabet, for the "right service" select."""
    rows = [(slug, service_title(slug, lang)) for slug in knowledge_base().services]
    return collated(rows, lang, key=lambda r: r[1])


def _slug(value: object, field: str, required: bool) -> str:
    slug = value if isinstance(value, str) else ""
    if not slug and not required:
        return ""
    if knowledge_base().service(slug) is None:
        message = _("Please choose a service from the list.")
        raise ValidationFailed(message, {field: message})
    return slug


def record_feedback(agent: StaffUser, question: object, lang: object, verdict: object,
                    service: object = "", correct_service: object = "", ranking: object = "") -> Feedback:
    """Store the agent's verdict with the (masked) question, the ranking shown and the time; a
    "wrong" verdict also enters the unanswered-questions queue (same transaction)."""
    ensure_role(agent, "agent")
    text = validate_query(question)
    if verdict not in VERDICTS:
        message = _("Please say whether the suggestion helped.")
        raise ValidationFailed(message, {"verdict": message})
    lang = lang if lang in LANGS else ""
    service = _slug(service, "service", verdict == "helped")
    correct = _slug(correct_service, "correct_service", False)   # "wrong" without one: a negative verdict
    shown = [s for s in (ranking.split(",") if isinstance(ranking, str) else []) if knowledge_base().service(s)]
    row = Feedback(agent_id=agent.id, question=mask(text), lang=lang, verdict=verdict, service=service,
                   correct_service=correct, ranking=",".join(shown[:10]))
    sess = db.begin_write()
    sess.add(row)
    queue_feedback(sess, row.question, lang, verdict, correct, row.ranking)
    sess.commit()
    return row
