"""Every character our pages show has a glyph: Arabic-script letters in the web font we serve on ar, fa
and ps pages (static/fonts/, read with fontTools), everything else in the stated system fallback
(portal.fonts.SYSTEM_FALLBACK_FONTS). Rebuild with `scripts/build_fonts.py` when a test here fails."""
from __future__ import annotations

import hashlib
import re

import pytest
from fontTools.ttLib import TTFont

from knowledge.schema import LANGS
from portal.fonts import (ARABIC_FONT_CSS, ARABIC_FONT_FILE, FONT_DIR, SYSTEM_FALLBACK_FONTS, is_arabic_script,
                          page_characters, uses_arabic_font)

ROOT = FONT_DIR.parent.parent
PASHTO_YE = "\u06cd"    # ۍ: 119 times in the Pashto content, missing from common system fonts


@pytest.fixture(scope="module")
def served():
    font = TTFont(str(FONT_DIR / ARABIC_FONT_FILE))
    return font, font.getBestCmap()


@pytest.fixture(scope="module")
def fallback() -> set[int]:
    missing = [str(path) for path in SYSTEM_FALLBACK_FONTS if not path.exists()]
    assert not missing, f"the stated fallback fonts must be installed (Debian fonts-dejavu-core): {missing}"
    return set().union(*(TTFont(str(path)).getBestCmap() for path in SYSTEM_FALLBACK_FONTS))


def _names(chars) -> str:
    return ", ".join(f"U+{ord(c):04X} {c}" for c in sorted(chars))


@pytest.mark.parametrize("lang", LANGS)
def test_every_character_of_every_language_has_a_glyph(lang, served, fallback):
    chars = page_characters(lang)
    web = set(served[1]) if uses_arabic_font(lang) else set()
    missing = {c for c in chars if ord(c) not in web | fallback}
    # Arabic-script letters on ar/fa/ps pages must come from our font: phones' fonts may lack some (ۍ)
    not_ours = {c for c in chars if uses_arabic_font(lang) and is_arabic_script(c) and ord(c) not in web}
    coverage = 100.0 * (len(chars) - len(missing | not_ours)) / len(chars)
    print(f"{lang}: {len(chars)} distinct characters, glyph coverage {coverage:.1f}%")
    assert not missing, f"{lang}: no glyph in the served or fallback fonts for {_names(missing)}"
    assert not not_ours, f"{lang}: run scripts/build_fonts.py, the web font lacks {_names(not_ours)}"


def test_the_pashto_letter_has_a_real_glyph(served):
    font, cmap = served
    glyph = cmap.get(ord(PASHTO_YE))
    assert glyph and glyph != ".notdef"
    assert font["glyf"][glyph].numberOfContours != 0         # drawn (outline or components), not blank
    assert font["hmtx"][glyph][0] > 0
    assert PASHTO_YE in page_characters("ps")


def test_the_font_is_small_and_licensed(served):
    font, cmap = served
    size = (FONT_DIR / ARABIC_FONT_FILE).stat().st_size
    assert font.flavor == "woff2" and size <= 25 * 1024, size
    assert "Open Font License" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert font["name"].getDebugName(13)          # the licence travels inside the font too


def test_the_stylesheet_matches_the_font(served):
    """unicode-range = what the subset covers (nothing else is asked of it); swap; the URL carries the
    file's fingerprint so the preload, the stylesheet and the cache agree."""
    css = (ROOT / "static" / ARABIC_FONT_CSS).read_text(encoding="utf-8")
    assert "font-display:swap" in css
    spans = re.search(r"unicode-range:([^;}]+)", css).group(1).split(",")
    declared = set()
    for span in spans:
        first, _, last = span.strip()[2:].partition("-")
        declared |= set(range(int(first, 16), int(last or first, 16) + 1))
    assert declared == set(served[1])
    version = re.search(r"\.woff2\?v=([0-9a-f]+)\)", css).group(1)
    assert version == hashlib.sha256((FONT_DIR / ARABIC_FONT_FILE).read_bytes()).hexdigest()[:12]


@pytest.mark.parametrize("lang", LANGS)
def test_only_arabic_script_pages_load_the_font(portal_client, lang):
    html = portal_client.get(f"/{lang}/services/travel-permit").get_data(as_text=True)
    assert ("arabic-font.css" in html) == (lang in ("ar", "fa", "ps"))
    assert (ARABIC_FONT_FILE in html) == (lang in ("ar", "fa", "ps"))
