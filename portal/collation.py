"""Sorting in the reader's alphabet with ICU collation (PyICU): Çanakkale after Bursa, İstanbul after
Isparta, Şanlıurfa after Sivas for Turkish readers; Arabic-script names first for ar, fa and ps
readers, Cyrillic first for ru and uk. Every list and select the pages show is sorted through here."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable, TypeVar

import icu

from knowledge.loader import plain

from .i18n import LANGUAGES

T = TypeVar("T")


@lru_cache(maxsize=None)
def _collator(lang: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(lang))


def sort_key(lang: str) -> Callable[[str], bytes]:
    """A key function ordering text as readers of `lang` expect ([[term]] markup ignored)."""
    collator = _collator(lang if lang in LANGUAGES else "tr")
    return lambda text: collator.getSortKey(plain(text or ""))


def collated(items: Iterable[T], lang: str, key: Callable[[T], str] = str) -> list[T]:
    """`items` sorted by `key(item)` in the alphabet of `lang` (stable for equal names)."""
    by = sort_key(lang)
    return sorted(items, key=lambda item: by(key(item)))


def languages_in_order(lang: str) -> list[tuple[str, str, str]]:
    """(code, own name, direction) of the nine languages, in the order readers of `lang` sort them."""
    return collated(((code, name, d) for code, (name, d) in LANGUAGES.items()), lang, key=lambda row: row[1])
