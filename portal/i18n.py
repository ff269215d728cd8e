"""Languages, locale selection and language-prefixed URLs."""
from __future__ import annotations

from flask import g, request

from knowledge.schema import LANGS, SOURCE_LANG

# code -> (name in its own script, direction)   -- contract, see ARCHITECTURE.md
_NAMES_AND_DIRECTIONS = {
    "tr": ("Türkçe", "ltr"),
    "en": ("English", "ltr"),
    "ar": ("العربية", "rtl"),
    "fa": ("فارسی", "rtl"),
    "ru": ("Русский", "ltr"),
    "uk": ("Українська", "ltr"),
    "ps": ("پښتو", "rtl"),
    "de": ("Deutsch", "ltr"),
    "fr": ("Français", "ltr"),
}
LANGUAGES: dict[str, tuple[str, str]] = {code: _NAMES_AND_DIRECTIONS[code] for code in LANGS}
DEFAULT_LANG = SOURCE_LANG
LANG_COOKIE = "lang"


def is_language(code: object) -> bool:
    """One of the nine codes (anything else, such as a list sent in JSON, is not)."""
    return isinstance(code, str) and code in LANGUAGES


def direction(code: str) -> str:
    return LANGUAGES.get(code, LANGUAGES[DEFAULT_LANG])[1]


def current_lang() -> str:
    """The page language: the URL prefix, else an explicit `lang`, else the best guess."""
    lang = getattr(g, "lang", None)
    if is_language(lang):
        return lang
    return preferred_lang()


def preferred_lang() -> str:
    """Cookie, then Accept-Language, then Turkish (used by `/` and by the JSON API)."""
    try:
        arg = request.args.get("lang")
        if is_language(arg):
            return arg
        cookie = request.cookies.get(LANG_COOKIE)
        if is_language(cookie):
            return cookie
        best = request.accept_languages.best_match(list(LANGUAGES))
        return best or DEFAULT_LANG
    except RuntimeError:  # outside a request
        return DEFAULT_LANG


def babel_locale() -> str:
    return current_lang()
