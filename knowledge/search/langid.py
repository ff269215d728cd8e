"""Language identification restricted to the portal's nine languages.

py3langid (restricted to LANGS) plus script rules it gets wrong on short inputs:
Pashto-only letters mean Pashto; Ukrainian-only / Russian-only Cyrillic letters decide between
them; Persian-only letters move Arabic-script text from Arabic to Persian. An explicit hint
(the API's `lang`, the page language) always wins. Texts with no letters fall back to the hint
or to Turkish.
"""
from __future__ import annotations

import threading
import unicodedata

from ..schema import LANGS, SOURCE_LANG

PASHTO_ONLY = set("ښږځڅړډټګۍڼې")
UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
RUSSIAN_ONLY = set("ыэъёЫЭЪЁ")
PERSIAN_ONLY = set("پچژگکی")
ARABIC_ONLY = set("ةيكىأإؤئ")

_identifier = None
_lock = threading.Lock()


def _get_identifier():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import _load_identifier
                _identifier = _load_identifier(norm_probs=True, langs=list(LANGS))
    return _identifier


def _script_rule(text: str) -> str | None:
    letters = set(text)
    if letters & PASHTO_ONLY:
        return "ps"
    cyrillic = any("CYRILLIC" in unicodedata.name(ch, "") for ch in text if ch.isalpha())
    if cyrillic:
        uk, ru = len(letters & UKRAINIAN_ONLY), len(letters & RUSSIAN_ONLY)
        if uk and not ru:
            return "uk"
        if ru and not uk:
            return "ru"
    return None


def detect_language(text: str, hint: str | None = None) -> str:
    """The language of `text` as one of LANGS; a valid `hint` wins."""
    if hint in LANGS:
        return hint
    text = (text or "").strip()
    if not any(ch.isalpha() for ch in text):
        return SOURCE_LANG
    rule = _script_rule(text)
    if rule:
        return rule
    lang, _conf = _get_identifier().classify(text)
    if lang == "ar":
        letters = set(text)
        if letters & PERSIAN_ONLY and not letters & ARABIC_ONLY:
            return "fa"
    return lang if lang in LANGS else SOURCE_LANG
