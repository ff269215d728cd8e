"""One term per concept: the glossary (content/glossary.yaml) and its check on the guides.

Each term gives, per language, the one approved form (`use`) and the forms not to use (`avoid`).
An avoid form is plain text matched case-insensitively as whole words; `*` stands for any
letters, so one form catches its inflections ("управлени* миграции" catches every case,
"*تصريح* الإقامة" also catches "وبتصريح الإقامة"). A form starting with `re:` is a regular
expression, for the rare case that needs a look-behind. Text inside [[...]] is an official
Turkish name and is not checked; neither are the example questions (they are how people ask).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge import yamlio

from .schema import LANGS, SERVICE_OPTIONAL_FIELDS, SERVICE_TEXT_FIELDS

GLOSSARY_FILE = "glossary.yaml"
CHECKED_FIELDS = tuple(SERVICE_TEXT_FIELDS) + tuple(SERVICE_OPTIONAL_FIELDS)
_TERM_MARKUP = re.compile(r"\[\[.+?\]\]")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")     # vowel marks, hamza marks, tatweel
_VOWEL_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")      # the same, keeping the hamza (ئ in ps)
_ZWNJ = "\u200c"


def normalise(text: str, lang: str) -> str:
    """The form both text and patterns are compared in: NFC, lower case, spacing unified (a
    zero-width non-joiner counts as a space); Arabic-script text without vowel marks, with the
    Arabic and Persian letter variants of ya, kaf, alef and the izafe hamza merged."""
    text = unicodedata.normalize("NFC", text or "").replace(_ZWNJ, " ").replace("\u00a0", " ")
    if lang == "ar":
        text = unicodedata.normalize("NFC", _ARABIC_MARKS.sub("", unicodedata.normalize("NFD", text)))
        text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي")
    elif lang in ("fa", "ps"):
        text = _VOWEL_MARKS.sub("", text)
    if lang == "fa":
        text = text.replace("ۀ", "ه").replace("ه\u0654", "ه").replace("ي", "ی").replace("ك", "ک")
    return text.casefold()


def compile_form(form: str, lang: str) -> re.Pattern:
    """The regular expression of one avoid form (see the module docstring)."""
    if form.startswith("re:"):
        return re.compile(form[3:], re.IGNORECASE)
    parts = [re.escape(p) for p in re.split(r"\s+", normalise(form, lang).strip())]
    body = r"\s+".join(parts).replace(r"\*", r"\w*")
    return re.compile(rf"(?<!\w){body}(?!\w)")


@dataclass(frozen=True)
class Rule:
    term: str
    lang: str
    use: str
    form: str
    pattern: re.Pattern
    anchor: str         # a piece of text every match contains ("" for `re:` forms): a cheap pre-check


def anchor_of(form: str, lang: str) -> str:
    if form.startswith("re:"):
        return ""
    return max(re.split(r"[\s*]+", normalise(form, lang)), key=len)


@dataclass(frozen=True)
class Hit:
    term: str
    use: str
    found: str
    start: int
    end: int


class Glossary:
    """The approved form and the rules against other forms, per term and language."""

    def __init__(self, terms: dict):
        self.terms = terms
        self.rules: dict[str, list[Rule]] = {lang: [] for lang in LANGS}
        for key, entry in terms.items():
            for lang in LANGS:
                forms = (entry.get(lang) or {}) if isinstance(entry, dict) else {}
                for form in forms.get("avoid") or []:
                    self.rules[lang].append(Rule(key, lang, forms.get("use", ""), form,
                                                 compile_form(str(form), lang), anchor_of(str(form), lang)))

    def use(self, term: str, lang: str) -> str:
        return self.terms[term][lang]["use"]

    def hits(self, text: str, lang: str) -> list[Hit]:
        """Non-approved forms in `text` (a longer hit wins over one inside it)."""
        plain_text = normalise(_TERM_MARKUP.sub(" ", text or ""), lang)
        found = [Hit(r.term, r.use, m.group(0), m.start(), m.end())
                 for r in self.rules.get(lang, []) if r.anchor in plain_text
                 for m in r.pattern.finditer(plain_text)]
        found.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for hit in found:
            if not any(k.start <= hit.start and hit.end <= k.end for k in kept):
                kept.append(hit)
        return kept


def load_glossary(root: Path) -> tuple[Glossary | None, list[str]]:
    """The glossary in content folder `root`, and the problems of the file itself."""
    path = Path(root) / GLOSSARY_FILE
    if not path.exists():
        return None, [f"{GLOSSARY_FILE} is missing: the one approved term per concept cannot be checked"]
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return None, [f"{GLOSSARY_FILE}: cannot read: {exc}"]
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict) or not terms:
        return None, [f"{GLOSSARY_FILE}: 'terms' must be a mapping of terms"]
    errors = _file_errors(terms)
    if errors:
        return None, errors
    glossary = Glossary(terms)
    for lang in LANGS:
        for key in terms:
            for hit in glossary.hits(terms[key][lang]["use"], lang):
                errors.append(f"{GLOSSARY_FILE}: the approved {lang} form of '{key}' is caught by an avoid "
                              f"form of '{hit.term}' ('{hit.found}')")
    return (None if errors else glossary), errors


def _file_errors(terms: dict) -> list[str]:
    errors = []
    for key, entry in terms.items():
        for lang in LANGS:
            forms = entry.get(lang) if isinstance(entry, dict) else None
            if not isinstance(forms, dict) or not str(forms.get("use") or "").strip():
                errors.append(f"{GLOSSARY_FILE}: term '{key}' has no approved form in '{lang}'")
                continue
            avoid = forms.get("avoid") or []
            if not isinstance(avoid, list) or not all(isinstance(f, str) and f.strip() for f in avoid):
                errors.append(f"{GLOSSARY_FILE}: term '{key}' ({lang}): 'avoid' must be a list of forms")
                continue
            for form in avoid:
                try:
                    compile_form(form, lang)
                except re.error as exc:
                    errors.append(f"{GLOSSARY_FILE}: term '{key}' ({lang}): bad form {form!r}: {exc}")
    return errors


def check_terms(kb, glossary: Glossary) -> list[str]:
    """One error per non-approved form in any guide, category name or contact label."""
    errors = []
    for svc in kb.services.values():
        for lang, text in svc.texts.items():
            for name in CHECKED_FIELDS:
                value = text.data.get(name)
                items = value if isinstance(value, list) else [value]
                for index, item in enumerate(items):
                    where = f"services/{svc.slug}/{lang}.yaml, {name}" + (f"[{index}]" if isinstance(value, list) else "")
                    errors += _messages(glossary, str(item or ""), lang, where)
    for key, names in kb.categories.items():
        for lang, name in (names or {}).items() if isinstance(names, dict) else []:
            errors += _messages(glossary, str(name), lang, f"categories.yaml, {key}")
    for number in kb.contacts.get("numbers", []):
        for lang, label in (number.get("label") or {}).items():
            errors += _messages(glossary, str(label), lang, f"contacts.yaml, {number.get('key')}")
    return errors


def _messages(glossary: Glossary, text: str, lang: str, where: str) -> list[str]:
    return [f"{where}: '{hit.found}' is not the approved {lang} term for '{hit.term}'; use '{hit.use}'"
            for hit in glossary.hits(text, lang)]
