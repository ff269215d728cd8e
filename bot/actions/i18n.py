"""Message lookup in the portal's Babel catalogs (translations/<lang>/LC_MESSAGES/messages.mo)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from knowledge.language import DEFAULT, LANGS

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


@lru_cache(maxsize=None)
def catalog(lang: str) -> NullTranslations:
    """The compiled catalog of `lang` (English msgids are returned as-is when none exists)."""
    lang = lang if lang in LANGS else DEFAULT
    return Translations.load(str(TRANSLATIONS), [lang], domain="messages")


def gettext_for(lang: str):
    """A `_` function for `lang` supporting `_("... %(name)s ...", name=value)`."""
    translations = catalog(lang)

    def _(message: str, **values) -> str:
        text = translations.gettext(message)
        return text % values if values else text

    return _
