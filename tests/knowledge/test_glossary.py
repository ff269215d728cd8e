"""The glossary (content/glossary.yaml): one approved term per concept, enforced on every guide.

A wrong term planted in a copy of the content fails `flask knowledge check` with the file, the
term and the approved form; inflected wrong forms are caught, correct look-alike words are not.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.glossary import GLOSSARY_FILE, Glossary, check_terms, load_glossary
from knowledge.loader import DEFAULT_DIR, load
from knowledge.schema import LANGS
from knowledge.validator import check

# One wrong term per language, written the way it creeps in: inflected, with clitics or suffixes.
PLANTED = {
    "tr": ("oturma izninizi yenileyin", "residence-permit", "ikamet izni"),
    "en": ("Governorships decide on it", "governorate", "governorate"),
    "ar": ("وبتصريح الإقامة يمكنك العمل", "residence-permit", "إذن الإقامة"),
    "fa": ("به راهنمایی‌های اداره گوش کنید", "general-guidance", "رهنمایی عمومی"),
    "ps": ("د موقتې ساتنې خاوندانو ته", "holder", "لرونکي"),
    "ru": ("в Провинциальном управлении миграции", "provincial-directorate",
           "Провинциальное управление миграционной службы"),
    "uk": ("картка дозволу на проживання", "residence-permit", "посвідка на проживання"),
    "de": ("zwei Aufenthaltsgenehmigungen", "residence-permit", "Aufenthaltserlaubnis"),
    "fr": ("votre permis de séjour", "residence-permit", "titre de séjour"),
}

# Correct text that contains the letters of a form to avoid: must not be reported.
LOOK_ALIKES = {
    "tr": "[[Göç İdaresi Genel Müdürlüğü]] artık [[İl Göç İdaresi Müdürlüğü]] ile çalışır; İl Göç İdaresi Müdürlüğü.",
    "en": "Bring your residence permit card to the Provincial Directorate of Migration Management.",
    "ar": "إذن العمل يقوم مقام إذن الإقامة؛ اتصل بمديرية إدارة الهجرة في الولاية.",
    "fa": "این داستان در استانبول گذشت؛ ادارهٔ مهاجرت ولایت و ریاست عمومی ادارهٔ مهاجرت و ریاست امور دینی.",
    "ps": "د کور خاوند ته انتظار مه باسئ؛ د ولسوالۍ د ملي ښوونې مدیریت هم مرسته کوي؛ د مهاجرت ادارې ریاست.",
    "ru": "Провинциальному управлению миграционной службы и Провинциальным управлением миграционной службы; "
          "Президентство миграционной службы; вид на жительство.",
    "uk": "дозвіл на роботу замінює посвідку на проживання; у Провінційному управлінні міграційної служби.",
    "de": "Ihre Aufenthaltserlaubnis und Ihre Arbeitserlaubnis; Antragsteller.",
    "fr": "Les étrangers titulaires d'un titre de séjour ; la pièce d'identité de protection temporaire.",
}


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    loaded, problems = load_glossary(DEFAULT_DIR)
    assert not problems and loaded is not None, problems
    return loaded


@pytest.fixture()
def content(tmp_path) -> Path:
    dst = tmp_path / "content"
    shutil.copytree(DEFAULT_DIR, dst)
    return dst


def set_field(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_about_forty_terms_each_with_an_approved_form_in_all_nine_languages(glossary):
    assert len(glossary.terms) >= 40
    for key, entry in glossary.terms.items():
        for lang in LANGS:
            assert entry[lang]["use"].strip(), (key, lang)
    for term in ("provincial-directorate", "residence-permit", "temporary-protection", "international-protection",
                 "holder", "province", "general-guidance", "identity-document"):
        assert term in glossary.terms


def test_dari_is_the_approved_persian(glossary):
    assert glossary.use("province", "fa") == "ولایت"
    assert glossary.use("general-guidance", "fa") == "رهنمایی عمومی"
    assert [h.term for h in glossary.hits("در استان و با راهنمایی", "fa")] == ["province", "general-guidance"]


def test_the_real_content_uses_only_approved_terms(glossary):
    assert check_terms(load(), glossary) == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_planted_wrong_term_fails_the_check_naming_file_term_and_approved_form(content, lang):
    wrong, term, approved = PLANTED[lang]
    path = content / "services" / "travel-permit" / f"{lang}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    set_field(path, summary=data["summary"] + " " + wrong)
    report = check(load(content))
    assert not report.ok
    errors = [e for e in report.errors if f"travel-permit/{lang}.yaml, summary" in e]
    assert len(errors) == 1, report.errors
    assert f"term for '{term}'" in errors[0] and f"use '{approved}'" in errors[0]


@pytest.mark.parametrize("lang", LANGS)
def test_correct_look_alike_words_are_not_reported(glossary, lang):
    assert glossary.hits(LOOK_ALIKES[lang], lang) == []


def test_inflected_forms_are_caught(glossary):
    for text, lang in (("ВНЖ", "ru"), ("управлением миграции", "ru"), ("Управлении миграционной службы провинции", "ru"),
                       ("дозволи на проживання", "uk"), ("لنډمهاله ساتنې", "ps"),
                       ("ولتصريح الإقامة", "ar"), ("استان‌ها", "fa"), ("ادارهٔ کل اتباع", "fa")):
        assert glossary.hits(text, lang), (lang, text)


def test_example_questions_and_official_turkish_names_are_not_checked(content):
    path = content / "services" / "travel-permit" / "ru.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    set_field(path, questions=data["questions"] + ["мне нужен ВНЖ, куда идти"],
              summary=data["summary"] + " ([[ВНЖ]])")
    assert check(load(content)).ok


def test_a_wrong_category_name_or_contact_label_fails(content):
    categories = yaml.safe_load((content / "categories.yaml").read_text(encoding="utf-8"))
    categories["residence"]["ru"] = "ВНЖ"
    (content / "categories.yaml").write_text(yaml.safe_dump(categories, allow_unicode=True), encoding="utf-8")
    report = check(load(content))
    assert any(e.startswith("categories.yaml, residence: 'внж'") for e in report.errors), report.errors


def test_a_missing_glossary_fails(content):
    (content / GLOSSARY_FILE).unlink()
    report = check(load(content))
    assert any("glossary.yaml is missing" in e for e in report.errors)


def test_an_approved_form_caught_by_an_avoid_form_is_rejected(content):
    path = content / GLOSSARY_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["terms"]["province"]["fa"]["avoid"].append("ولایت")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    glossary, problems = load_glossary(content)
    assert glossary is None and any("approved fa form of 'province'" in p for p in problems)
