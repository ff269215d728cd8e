"""Which language to answer in: the page language, unless the user clearly writes in another one.

Pure helpers (no Rasa, no Flask), shared by the portal (emergency screen, degraded mode) and the bot's
actions. Script first: a message in Arabic or Cyrillic letters is never answered in a Latin-script
language, even when it is two words long.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import LANGS, SOURCE_LANG as DEFAULT

PASHTO_LETTERS = set("ښږځڅړډټګۍڼې")
UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")
SCRIPT_LANGS = {"arabic": ("ar", "fa", "ps"), "cyrillic": ("ru", "uk")}
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def script(text: str) -> str:
    """Dominant script of the letters in `text`: latin, cyrillic, arabic or none."""
    counts = {"latin": 0, "cyrillic": 0, "arabic": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            counts["arabic"] += 1
        elif 0x0400 <= code <= 0x04FF:
            counts["cyrillic"] += 1
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
            counts["latin"] += 1
    best = max(counts, key=counts.get)
    return best if counts[best] else "none"


def detect(text: str) -> tuple[str | None, float]:
    """(language, confidence) among the nine languages, or (None, 0) when there is nothing to go on.

    The label comes from the search engine's language identification (knowledge/search/langid.py:
    py3langid + script rules); the confidence from py3langid restricted to the nine languages.
    """
    text = (text or "").strip()
    if not _WORD.search(text):
        return None, 0.0
    from .search.langid import classify, detect_language
    lang = detect_language(text[:500])
    if any(ch in PASHTO_LETTERS for ch in text) or (lang == "uk" and any(ch in UKRAINIAN_LETTERS for ch in text)):
        return lang, 1.0
    guess, prob = classify(text[:500])
    return lang, float(prob) if guess == lang else 0.5


def resolve(text: str, current: str | None, in_form: bool = False, eager: bool = False) -> str:
    """Keep `current` unless `text` is clearly written in another of the nine languages.

    Clearly: at least three words and a confident guess; inside a form (where users type names,
    places and numbers) at least five words. `eager` (emergencies: the answer must be understood)
    switches on two words and a likely guess.
    """
    current = current if current in LANGS else DEFAULT
    detected, prob = detect(text)
    if detected is None or detected == current:
        return current
    family = SCRIPT_LANGS.get(script(text))
    if family and current not in family:   # Arabic or Cyrillic letters: never a Latin-script answer
        return detected if detected in family else family[0]
    words = len(_WORD.findall(text))
    needed, min_prob = (2, 0.5) if eager else ((5, 0.8) if in_form else (3, 0.8))
    if words >= needed and prob >= min_prob:
        return detected
    return current


# Settling the caller's language while an agent types (the console): one decision, no flip-flop.
SETTLE_LETTERS = 15   # letters before a guess may replace the language already held
SWITCH_SHARE = 0.8    # ... and only when the guess has this share of its script's probability
CLOSE_SHARE = 0.3     # a runner-up of the same script with this share is shown as well (ru/uk, ar/fa)
LATIN_LANGS = tuple(code for code in LANGS if not any(code in family for family in SCRIPT_LANGS.values()))


@dataclass(frozen=True)
class Settled:
    lang: str                  # the language to answer in
    alternative: str | None    # a close second of the same script, or None
    settled: bool              # enough letters (or letters only one language uses) to decide


def settle(text: str, held: str | None = None) -> Settled:
    """The caller's language for a question being typed, given the language `held` (shown so far).

    A change of script always decides (Cyrillic text is never answered in a Latin-script language);
    letters only one language uses decide (Pashto, Ukrainian or Russian). Otherwise `held` stays
    until the text has SETTLE_LETTERS letters and the guess is clear (SWITCH_SHARE of its script);
    with nothing held, a short text gets the script's first language unless the guess is already
    clear. So the answer does not flip back and forth while the agent types. `settled`: enough
    letters to decide.
    """
    from .search.langid import ARABIC_ONLY, PERSIAN_ONLY, script_family, script_rule, shares
    text = (text or "").strip()[:500]
    letters = sum(ch.isalpha() for ch in text)
    if not letters:                    # numbers only: nothing to go on
        return Settled(held if held in LANGS else DEFAULT, None, False)
    family = script_family(text) or LATIN_LANGS
    held = held if held in family else None
    rule = script_rule(text)
    if rule:
        return Settled(rule, None, True)
    ranking = shares(text, family)
    if set(text) & PERSIAN_ONLY and not set(text) & ARABIC_ONLY:     # Persian letters: not Arabic
        rest = [row for row in ranking if row[0] != "ar"]
        total = sum(p for _code, p in rest) or 1.0
        ranking = [(code, p / total) for code, p in rest]
        held = held if held != "ar" else None
    best, share = ranking[0]
    enough = letters >= SETTLE_LETTERS
    if held:                 # shown so far: only a clear guess on enough text changes it
        lang = best if enough and share >= SWITCH_SHARE else held
    elif enough or share >= SWITCH_SHARE:
        lang = best
    else:                    # too little text: the script's first language until the guess is clear
        lang = family[0] if family[0] in dict(ranking) else best
    others = [(code, p) for code, p in ranking if code != lang]
    alternative = others[0][0] if others and others[0][1] >= CLOSE_SHARE else None
    return Settled(lang, alternative, enough)
