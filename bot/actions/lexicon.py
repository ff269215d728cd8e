"""What people type inside forms, in all nine languages (bot/lexicon/<lang>.yaml, hand-written):
yes/no and their everyday variants, "stop", "another day", today/tomorrow, weekdays, months and the
81 provinces in every script. Every language's words are always accepted: people answer in Turkish
inside an Arabic conversation, and the other way round.

Matching is on whole words after normalising case, accents, digits (Eastern Arabic and Persian) and
Arabic-script letter variants; the longest phrase wins ("cumartesi" is not "cuma").
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicon"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ی", "ي": "ی", "ك": "ک",
                                  "ۀ": "ه", "ؤ": "و", "ئ": "ی", "\u200c": " ", "ـ": None})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
SINGLE = ("yes", "no", "stop", "another_day", "today", "tomorrow", "day_after_tomorrow", "next_week")
NUMBERED = ("weekdays", "months", "provinces")


def normalise(text: str) -> str:
    """Lower case, no accents, ASCII digits, one Arabic-script spelling, words separated by one space."""
    text = (text or "").translate(_DIGITS).replace("İ", "i").replace("ı", "i").casefold()
    text = unicodedata.normalize("NFKD", text.translate(_ARABIC_VARIANTS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text.replace("'", "").replace("’", "")).split())


def to_ascii_digits(text: str) -> str:
    return (text or "").translate(_DIGITS)


@lru_cache(maxsize=1)
def _phrases() -> dict[str, list[tuple[tuple[str, ...], object]]]:
    """category -> [(normalised words, value)], longest first. Values: True for the single
    categories, the number (weekday 1-7, month 1-12, plate code) for the numbered ones."""
    table: dict[str, list] = {name: [] for name in SINGLE + NUMBERED}
    for path in sorted(LEXICON_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            name = {True: "yes", False: "no"}.get(key, key) if isinstance(key, bool) else str(key)
            if name in SINGLE:
                table[name] += [(tuple(normalise(str(p)).split()), True) for p in value or []]
            elif name in NUMBERED:
                for number, words in (value or {}).items():
                    table[name] += [(tuple(normalise(str(p)).split()), int(number)) for p in words or []]
    for name, rows in table.items():
        rows[:] = sorted({r for r in rows if r[0]}, key=lambda r: -len(r[0]))
    return table


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1))


def find(category: str, text: str):
    """The value of the longest phrase of `category` that occurs in `text` as whole words, or None."""
    words = normalise(text).split()
    for phrase, value in _phrases()[category]:
        if _contains(words, phrase):
            return value
    return None


def _starts(category: str, words: list[str]) -> int:
    """Length of the longest phrase of `category` that `words` starts with (0: none)."""
    return max((len(p) for p, _v in _phrases()[category] if tuple(words[:len(p)]) == p), default=0)


def yes_no(text: str) -> bool | None:
    """True/False when the answer is yes/no ("так, змінити", "no, wrong day", "evet"), else None.
    The message must start with the word: "not sure yet" is neither."""
    if text.strip() in ("👍", "👌", "✅"):
        return True
    words = normalise(text).split()
    if not words:
        return None
    yes, no = _starts("yes", words), _starts("no", words)
    if yes == no:
        return None
    return yes > no


def wants_to_stop(text: str) -> bool:
    """A short message that asks to leave the form ("stop", "please start over", "давай начнём заново")."""
    words = normalise(text).split()
    return 0 < len(words) <= 5 and find("stop", text) is not None


def wants_another_day(text: str) -> bool:
    return find("another_day", text) is not None


def weekday(text: str) -> int | None:
    return find("weekdays", text)


def month(text: str) -> int | None:
    return find("months", text)


def relative_day(text: str) -> int | None:
    """Days from today: 0 today, 1 tomorrow, 2 the day after, 7 next week; None when not said."""
    for name, days in (("day_after_tomorrow", 2), ("tomorrow", 1), ("today", 0), ("next_week", 7)):
        if find(name, text):
            return days
    return None


def province(text: str) -> int | None:
    """The plate code of a province named in `text` in any script, or None."""
    return find("provinces", text)
