"""The lost, stolen or damaged identity document guide (issue 16, item 5): complete and valid in all nine
languages, in the project's own catalogue, and findable with the words people use for their document."""
from __future__ import annotations

import pytest
import yaml

from knowledge.loader import load
from knowledge.schema import LANGS
from knowledge.search.chunks import build_chunks
from knowledge.search.lexical import LexicalIndex
from knowledge.validator import CATALOGUE_PATHS, check

SLUG = "lost-identity-documents"

# How people name the document when they lose it (written for this test, not taken from any evaluation set).
COLLOQUIAL = [
    ("tr", "kimlik kaybettim"),
    ("tr", "ikamet kartım çalındı"),
    ("en", "lost my kimlik"),
    ("en", "stolen ikamet card replacement"),
    ("ar", "الكملك ضايع"),
    ("ar", "انسرق الكيملك"),
    ("fa", "کیملک گم شد"),
    ("ps", "کیملیک ورک شو"),
    ("ru", "потерял кимлик"),
    ("uk", "загубив кімлік"),
    ("de", "Aufenthaltskarte verloren"),
    ("fr", "carte de séjour perdue"),
]


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.fixture(scope="module")
def lexical(kb):
    return LexicalIndex((c.service, c.lang, c.text) for c in build_chunks(kb))


def test_the_guide_is_complete_valid_and_reviewed_in_all_nine_languages(kb):
    report = check(kb)
    assert not [e for e in report.errors if SLUG in e]
    for lang in LANGS:
        assert SLUG in report.coverage[lang].complete, lang


def test_the_service_is_in_the_projects_own_catalogue():
    own = yaml.safe_load(CATALOGUE_PATHS[0].read_text(encoding="utf-8"))
    assert SLUG in {s["slug"] for s in own["services"]}


def test_every_statement_beyond_the_source_is_marked_or_names_its_law(kb):
    """No seed covers loss or theft: each step and document names a law or is marked as general guidance."""
    text = kb.service(SLUG).texts["tr"].data
    for item in text["steps"] + text["documents"]:
        assert "genel rehberlik" in item or "sayılı" in item, item
    assert any("6458" in law for law in text["legal_basis"])
    assert any("Geçici Koruma Yönetmeliği" in law for law in text["legal_basis"])


@pytest.mark.parametrize("lang, query", COLLOQUIAL)
def test_the_words_people_use_find_it(lexical, lang, query):
    """The search's lexical part (the same chunks the index is built from) ranks this guide first."""
    scores = lexical.scores(query, [lang, "tr"])
    assert max(scores, key=scores.get) == SLUG, sorted(scores.items(), key=lambda kv: -kv[1])[:3]
