"""The search engine: a question in any of the nine languages -> the services that answer it.

Stable API (the portal's search page, POST /api/v1/search, the chat fallback and the staff
console call it; keep it stable):

    engine = SearchEngine(index, encoder, kb_provider)      # portal: portal.search.operations.get_engine()
    result = engine.search(q: str, lang: str | None = None, k: int = 3) -> SearchResult
        result.lang     the given `lang`, else the detected language of `q`
        result.abstain  True when nothing in the knowledge base answers the question
        result.results  list of {service, title, score, url, answer, fallback}, best first
                        (empty when abstaining); title/answer in `lang`, or in Turkish with
                        fallback=True when that service has no complete text in `lang`;
                        url = /<lang>/services/<slug>
        result.out_of_scope  True when it abstained because the question is not about migration
                        services at all (the scope classifier), not for lack of a good match
        result.to_json() {"lang", "abstain", "out_of_scope", "results"}
    detect_language(text, hint=None) -> str            (re-exported from langid)
    engine.service_documents(slug, lang) -> (list[str], fallback: bool)

How a query is scored: language identification; the query is encoded once and searched against
every chunk (all languages: content in one language answers questions in another); chunk hits are
aggregated per service (best chunk plus a small bonus for the next best ones); a lexical BM25 score
(query language + Turkish) is fused in; the service ranking is returned. Abstention compares the
best dense similarity and its margin over the runner-up with thresholds calibrated on
out-of-scope questions, the distance to out-of-scope anchors (anchors.yaml: short questions
about topics the knowledge base does not cover, indexed as a pseudo-service that is never returned),
and the out-of-scope classifier (scope.py: logistic regression plus a nearest-neighbour margin on
the query vector, trained on the services' questions vs. hand-written everyday questions in nine
languages; used only with the encoder it was trained on).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..loader import KnowledgeBase, plain
from ..schema import LANGS, SOURCE_LANG
from .chunks import OUT_OF_SCOPE
from .encoder import Encoder
from .index import SearchIndex
from .langid import detect_language
from .lexical import shared_index
from .scope import ScopeClassifier, load_classifier

__all__ = ["SearchEngine", "SearchResult", "Tuning", "detect_language"]


@dataclass(frozen=True)
class Tuning:
    """Scoring and abstention parameters (measured with `flask knowledge evaluate`)."""
    candidates: int = 400          # chunk hits taken from FAISS before aggregation
    chunk_langs: tuple = ()        # if set, only chunks in the query language or these languages count
    bonus_weights: tuple = (0.3, 0.15)  # weight of the 2nd, 3rd best chunk's score above `bonus_floor`
    bonus_floor: float = 0.80
    lexical_weight: float = 0.05   # fused = dense + lexical_weight * lexical (lexical in [0, 1])
    lexical_langs_extra: tuple = (SOURCE_LANG,)
    abstain_below: float = 0.84    # abstain when the best chunk similarity is below this,
    anchor_margin: float = 0.025   # or when it is not this much above the best out-of-scope anchor,
    abstain_margin: float = 0.0    # or when it is below `abstain_unsure` and the margin to the
    abstain_unsure: float = 0.0    # runner-up service is below `abstain_margin` (off by default)
    scope_threshold: float | None = None  # out-of-scope score to refuse at (None: the classifier's calibrated one)


@dataclass
class SearchResult:
    lang: str
    abstain: bool
    results: list[dict] = field(default_factory=list)
    top_score: float = 0.0         # best dense similarity (for diagnostics and calibration)
    out_of_scope: bool = False     # abstained because the question is not about our services at all

    def to_json(self) -> dict:
        return {"lang": self.lang, "abstain": self.abstain, "out_of_scope": self.out_of_scope,
                "results": self.results}


class Ranking(list):
    """Ranked services, best first; `anchor` is the best out-of-scope anchor similarity,
    `out_of_scope` the classifier's score (refused at its threshold: not about our services)."""
    anchor: float = 0.0
    out_of_scope: float = float("-inf")


@dataclass
class Ranked:
    service: str
    score: float       # fused score used for ranking
    dense: float       # aggregated dense score
    best: float        # best single-chunk cosine


class SearchEngine:
    """Query the index; titles and answers come from the live knowledge base (`kb_provider()`)."""

    def __init__(self, index: SearchIndex, encoder: Encoder, kb_provider: Callable[[], KnowledgeBase],
                 tuning: Tuning | None = None, scope: ScopeClassifier | None | str = "stored"):
        self.index = index
        self.encoder = encoder
        self.kb_provider = kb_provider
        self.tuning = tuning or Tuning()
        # "stored": the committed classifier when it matches the encoder (None: no classifier)
        self.scope = load_classifier(encoder) if isinstance(scope, str) else scope
        self._services = sorted({c.service for c in index.chunks})
        self._service_of = np.array([self._services.index(c.service) for c in index.chunks], dtype=np.int32)
        self._lang_of = [c.lang for c in index.chunks]
        anchor_ids = [c.id for c in index.chunks if c.service == OUT_OF_SCOPE]
        dim = index.faiss_index.d
        self._anchors = (np.vstack([index.faiss_index.reconstruct(i) for i in anchor_ids])
                         if anchor_ids else np.zeros((0, dim), dtype=np.float32))
        self.lexical = shared_index((c.service, c.lang, c.text) for c in index.chunks if c.service != OUT_OF_SCOPE)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vectors_lock = threading.Lock()

    VECTOR_CACHE = 512   # recent query vectors: the chat's emergency check and its search share one encoding

    def query_vector(self, q: str) -> np.ndarray:
        """The normalised query embedding of `q` (1, dim), cached for recent queries."""
        with self._vectors_lock:
            cached = self._vectors.get(q)
            if cached is not None:
                self._vectors.move_to_end(q)
                return cached
        vector = np.ascontiguousarray(self.encoder.encode_queries([q]), dtype=np.float32)
        with self._vectors_lock:
            self._vectors[q] = vector
            while len(self._vectors) > self.VECTOR_CACHE:
                self._vectors.popitem(last=False)
        return vector

    # -- ranking -----------------------------------------------------------------------------
    def rank(self, q: str, lang: str) -> Ranking:
        """Every service that any chunk hit, best first (no abstention, no text lookup)."""
        tuning = self.tuning
        vector = self.query_vector(q)
        n = min(tuning.candidates, self.index.faiss_index.ntotal)
        scores, ids = self.index.faiss_index.search(vector, n)
        per_service: dict[int, list[float]] = {}
        allowed = {lang, *tuning.chunk_langs} if tuning.chunk_langs else None
        for score, idx in zip(scores[0].tolist(), ids[0].tolist()):
            if idx < 0 or (allowed and self._lang_of[idx] not in allowed):
                continue
            hits = per_service.setdefault(int(self._service_of[idx]), [])
            if len(hits) < 1 + len(tuning.bonus_weights):
                hits.append(score)
        lexical = self.lexical.scores(q, {lang, *tuning.lexical_langs_extra}) if tuning.lexical_weight else {}
        ranked = Ranking()
        ranked.anchor = float((self._anchors @ vector[0]).max()) if len(self._anchors) else 0.0
        ranked.out_of_scope = self.scope.score(vector[0]) if self.scope is not None else float("-inf")
        for sid, hits in per_service.items():
            service = self._services[sid]
            if service == OUT_OF_SCOPE:
                continue
            dense = hits[0] + sum(w * max(0.0, h - tuning.bonus_floor)
                                  for w, h in zip(tuning.bonus_weights, hits[1:]))
            fused = dense + tuning.lexical_weight * lexical.get(service, 0.0)
            ranked.append(Ranked(service, fused, dense, hits[0]))
        ranked.sort(key=lambda r: (-r.score, r.service))
        return ranked

    def should_abstain(self, ranked: Ranking) -> bool:
        """True when the best match is too weak, no better than an out-of-scope anchor, or the
        classifier says the question is not about migration services (see Tuning)."""
        if not ranked:
            return True
        tuning = self.tuning
        if self.scope is not None:
            threshold = self.scope.threshold if tuning.scope_threshold is None else tuning.scope_threshold
            if getattr(ranked, "out_of_scope", -np.inf) >= threshold:
                return True
        best = max(r.best for r in ranked)      # independent of the lexical fusion
        if best < tuning.abstain_below or best - getattr(ranked, "anchor", 0.0) < tuning.anchor_margin:
            return True
        margin = ranked[0].score - (ranked[1].score if len(ranked) > 1 else 0.0)
        return best < tuning.abstain_unsure and margin < tuning.abstain_margin

    def is_out_of_scope(self, ranked: Ranking) -> bool:
        """The scope classifier refuses the question (it is about something else entirely)."""
        if self.scope is None:
            return False
        threshold = self.scope.threshold if self.tuning.scope_threshold is None else self.tuning.scope_threshold
        return getattr(ranked, "out_of_scope", -np.inf) >= threshold

    # -- public API --------------------------------------------------------------------------
    def search(self, q: str, lang: str | None = None, k: int = 3) -> SearchResult:
        """Best `k` services for `q` in `lang` (detected when None); see the module docstring."""
        lang = detect_language(q, lang if lang in LANGS else None)
        ranked = self.rank(q, lang)
        top = ranked[0].best if ranked else 0.0
        if self.should_abstain(ranked):
            return SearchResult(lang, True, [], top, out_of_scope=self.is_out_of_scope(ranked))
        kb = self.kb_provider()
        results = []
        for row in ranked:
            item = self._result(kb, row, lang)
            if item is not None:
                results.append(item)
            if len(results) >= max(1, k):
                break
        return SearchResult(lang, not results, results, top)

    def _result(self, kb: KnowledgeBase, row: Ranked, lang: str) -> dict | None:
        svc = kb.service(row.service)
        if svc is None:     # removed since the index was built (stale index)
            return None
        text, fallback = svc.text(lang), False
        if text is None:
            text, fallback = svc.text(SOURCE_LANG), True
        if text is None:
            return None
        return {"service": svc.slug, "title": plain(text.title), "score": round(float(row.score), 4),
                "url": f"/{lang}/services/{svc.slug}", "answer": plain(text.answer), "fallback": fallback}

    def service_documents(self, slug: str, lang: str) -> tuple[list[str], bool]:
        """The documents list of service `slug` in `lang` (Turkish, fallback=True, when missing)."""
        svc = self.kb_provider().service(slug)
        if svc is None:
            return [], False
        text, fallback = svc.text(lang), False
        if text is None:
            text, fallback = svc.text(SOURCE_LANG), True
        return ([plain(d) for d in text.documents] if text else []), fallback
