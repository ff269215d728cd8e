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

# languages written in each non-Latin script: a text in that script is one of them
SCRIPT_FAMILIES = {"ARABIC": ("ar", "fa", "ps"), "CYRILLIC": ("ru", "uk")}
_identifier = None
_lock = threading.Lock()


def identifier():
    """py3langid restricted to the nine languages, loaded once per process on first use (48 MB, most
    of it the tokeniser's tables: one instance only; a script family is chosen among its ranking, not
    with a second model). Built from the model's columns for the nine languages only: py3langid's own
    `set_languages` keeps the other 133 languages' columns too (28 MB), to switch back."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                _identifier = _nine_language_identifier()
    return _identifier


def _nine_language_identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model
    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    keep = [i for i, lang in enumerate(classes) if lang in LANGS]     # as set_languages chooses them
    return LanguageIdentifier(ptc[:, keep], pc[keep], [classes[i] for i in keep], nextmove, output,
                              norm_probs=True, tk_row=row)


def classify(text: str, family: tuple | None = None) -> tuple[str, float]:
    """(language, probability) among the nine languages, or among `family` only."""
    if family is None:
        lang, prob = identifier().classify(text)
        return lang, float(prob)
    return shares(text, family)[0]


def shares(text: str, family: tuple) -> list[tuple[str, float]]:
    """The languages of `family`, most likely first, with their share of the family's probability."""
    ranked = [(lang, float(prob)) for lang, prob in identifier().rank(text) if lang in family]
    total = sum(p for _l, p in ranked) or 1.0
    return [(lang, prob / total) for lang, prob in ranked]


def script_family(text: str) -> tuple | None:
    """The languages of the dominant non-Latin script of `text` (None for Latin or no letters)."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            key = next((k for k in SCRIPT_FAMILIES if name.startswith(k)), "OTHER")
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.get)
    return SCRIPT_FAMILIES.get(best)


def script_rule(text: str) -> str | None:
    """The language that letters only it uses decide (Pashto; Ukrainian or Russian), or None."""
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
    rule = script_rule(text)
    if rule:
        return rule
    lang, _conf = classify(text, script_family(text))
    if lang == "ar":
        letters = set(text)
        if letters & PERSIAN_ONLY and not letters & ARABIC_ONLY:
            return "fa"
    return lang if lang in LANGS else SOURCE_LANG
