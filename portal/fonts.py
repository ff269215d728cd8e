"""The web font we serve for Arabic-script pages, and the characters each language's pages show.

Pages in ar, fa and ps load a subset of Noto Naskh Arabic (static/fonts/, built by
scripts/build_fonts.py from Debian's fonts-noto-core); every other character falls back to the
device's fonts. `page_characters` is what the build subsets to and what the coverage test checks.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

from knowledge import yamlio
from babel.messages.pofile import read_po

from knowledge.loader import DEFAULT_DIR
from knowledge.schema import LANGS

from .i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = DEFAULT_DIR
TRANSLATIONS_DIR = ROOT / "translations"
FONT_DIR = ROOT / "static" / "fonts"

ARABIC_SCRIPT_LANGS = ("ar", "fa", "ps")
ARABIC_FONT_FILE = "noto-naskh-arabic-subset.woff2"
ARABIC_FONT_CSS = "css/arabic-font.css"
ARABIC_FONT_SOURCE = Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")   # fonts-noto-core
# The fonts a page relies on for what the web font does not cover. DejaVu Sans (Debian's
# fonts-dejavu-core, present wherever chromium is) stands for the device's own sans-serif font
# (Roboto/Noto Sans on Android, San Francisco on iOS, Segoe UI on Windows): Latin with Turkish
# letters, Cyrillic, digits and punctuation. It lacks Pashto ۍ, so Arabic-script letters must
# come from the web font on ar/fa/ps pages.
SYSTEM_FALLBACK_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)


def uses_arabic_font(lang: str) -> bool:
    """Whether pages in `lang` load the Arabic-script web font."""
    return lang in ARABIC_SCRIPT_LANGS


def is_arabic_script(char: str) -> bool:
    """Letters, digits and marks of the Arabic script (the ones the web font must cover)."""
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF \
        or 0xFE70 <= code <= 0xFEFF


def is_rendered(char: str) -> bool:
    """Characters that need a glyph (not line breaks, tabs or invisible direction marks)."""
    return unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")


def _strings(node, lang: str, under_lang: str | None, out: Counter) -> None:
    """Count the characters of every string in `node` that a page in `lang` shows."""
    if isinstance(node, str):
        if under_lang in (None, lang):
            out.update(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            _strings(value, lang, key if key in LANGS else under_lang, out)
    elif isinstance(node, list):
        for value in node:
            _strings(value, lang, under_lang, out)


def content_characters(lang: str, content_dir: Path = CONTENT_DIR) -> Counter:
    """Characters of the knowledge content shown in `lang`: its own files, its entries in the shared
    files (categories, contacts, glossary) and what every language shows (office names, hours)."""
    out: Counter = Counter()
    for path in sorted(content_dir.rglob("*.yaml")):
        stem = path.stem
        if stem in LANGS and stem != lang:
            continue
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
        _strings(data, lang, lang if stem == lang else None, out)
    return out


def ui_characters(lang: str, translations_dir: Path = TRANSLATIONS_DIR) -> Counter:
    """Characters of the interface in `lang` (its catalog; English shows the msgids) and of the
    language switcher, which names every language in its own script on every page."""
    out: Counter = Counter()
    path = translations_dir / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in (strings if any(strings) else ids):
            out.update(text or "")
    for name, _direction in LANGUAGES.values():
        out.update(name)
    return out


def page_characters(lang: str) -> set[str]:
    """Every character that pages in `lang` show and that needs a glyph."""
    chars = content_characters(lang) + ui_characters(lang)
    return {c for c in chars if is_rendered(c)}
