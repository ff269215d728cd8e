"""A small lexical scorer (BM25 over folded word prefixes), one document per service and language.

Dense retrieval misses exact terms a user types ("kimlik", "e-ikamet", "157"); this scorer gives a
per-service score in [0, 1] that the engine fuses with the dense score. Tokens are case-folded,
diacritics and Arabic-script letter variants folded, and cut to a prefix (a crude stemmer that
copes with Turkish suffixes and Slavic endings).
"""
from __future__ import annotations

import hashlib
import math
import re
import sys
import threading
import unicodedata
from collections import Counter, OrderedDict, defaultdict
from typing import Iterable

_WORD = re.compile(r"\w+", re.UNICODE)
_FOLD = str.maketrans({
    "ı": "i", "İ": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u", "â": "a", "î": "i", "û": "u",
    "أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ي": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ؤ": "و", "ئ": "ی",
    "ё": "е", "ß": "ss",
})
# combining marks (category Mn), deleted after NFD: diacritics and Arabic short vowels
_MARKS = {cp: None for cp in range(0x300, sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Mn"}
PREFIX = 5
K1, B = 1.2, 0.75


def tokens(text: str) -> list[str]:
    """Folded word prefixes of `text` (words shorter than three characters, mostly function words or
    split-off suffixes, are dropped)."""
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_FOLD)
    text = unicodedata.normalize("NFD", text).translate(_MARKS)
    return [word[:PREFIX] for word in _WORD.findall(text) if len(word) >= 3]


class LexicalIndex:
    """BM25 over (service, lang) documents; `scores(q, langs)` -> {service: score in [0, 1]}."""

    def __init__(self, docs: Iterable[tuple[str, str, str]]):
        grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
        for service, lang, text in docs:
            grouped[(service, lang)].extend(tokens(text))
        self.keys = list(grouped)
        self.lengths = [len(grouped[key]) for key in self.keys]
        self.avg_len = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.by_lang: dict[str, int] = Counter(lang for _s, lang in self.keys)
        for doc_id, key in enumerate(self.keys):
            for term, tf in Counter(grouped[key]).items():
                self.postings[term].append((doc_id, tf))

    def _idf(self, term: str, lang_docs: int, df: int) -> float:
        return math.log(1 + (lang_docs - df + 0.5) / (df + 0.5))

    def scores(self, query: str, langs: Iterable[str]) -> dict[str, float]:
        """Per service, the best BM25 score over its documents in `langs`, divided by the best overall."""
        langs = set(langs)
        terms = set(tokens(query))
        raw: dict[int, float] = defaultdict(float)
        for term in terms:
            postings = [(d, tf) for d, tf in self.postings.get(term, ()) if self.keys[d][1] in langs]
            if not postings:
                continue
            per_lang_df = Counter(self.keys[d][1] for d, _tf in postings)
            for doc_id, tf in postings:
                lang = self.keys[doc_id][1]
                idf = self._idf(term, self.by_lang[lang], per_lang_df[lang])
                norm = K1 * (1 - B + B * self.lengths[doc_id] / self.avg_len)
                raw[doc_id] += idf * tf * (K1 + 1) / (tf + norm)
        per_service: dict[str, float] = {}
        for doc_id, score in raw.items():
            service = self.keys[doc_id][0]
            per_service[service] = max(per_service.get(service, 0.0), score)
        top = max(per_service.values(), default=0.0)
        return {s: v / top for s, v in per_service.items()} if top > 0 else {}


_built: OrderedDict[str, LexicalIndex] = OrderedDict()
_built_lock = threading.Lock()


def shared_index(docs: Iterable[tuple[str, str, str]]) -> LexicalIndex:
    """The LexicalIndex of `docs`, built once per process for the same documents (an index is never
    changed after it is built; several apps in one process, as in the tests, share it)."""
    docs = list(docs)
    digest = hashlib.sha256("\x1f".join(f"{s}\x1e{lang}\x1e{text}" for s, lang, text in docs).encode()).hexdigest()
    with _built_lock:
        if digest in _built:
            _built.move_to_end(digest)
            return _built[digest]
    index = LexicalIndex(docs)
    with _built_lock:
        _built[digest] = index
        while len(_built) > 2:          # the index in use and the one being switched to
            _built.popitem(last=False)
    return index
