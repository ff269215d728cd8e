"""Every UI message is translated in every language, with the same placeholders."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%[sd]|\{(\w*)\}")


def template_ids() -> set[str]:
    with (ROOT / "messages.pot").open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_catalog_is_complete_and_placeholders_match(lang):
    with (ROOT / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    problems = []
    for msgid in sorted(template_ids(), key=str):
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"untranslated: {msgid!r}")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        for s in strings:
            if not s:
                problems.append(f"empty plural form: {msgid!r}")
            elif placeholders(s) != placeholders(ids[0]):
                problems.append(f"placeholders differ: {msgid!r} -> {s!r}")
    assert not problems, f"{lang}: {len(problems)} problems, e.g. " + "; ".join(problems[:5])


def test_template_is_current():
    """messages.pot contains every string the code uses (run `flask i18n extract` after changes)."""
    import subprocess
    import sys
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                        "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(out), "."],
                       check=True, cwd=ROOT.parent, capture_output=True)
        with out.open("rb") as fh:
            current = {m.id for m in read_po(fh) if m.id}
    missing = current - template_ids()
    assert not missing, f"run `flask i18n extract`: {sorted(missing, key=str)[:5]}"
