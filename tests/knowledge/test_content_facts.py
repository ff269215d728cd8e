"""Facts corrected in issue #16 stay corrected (content regression checks, all nine languages)."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import DEFAULT_DIR, load, plain
from knowledge.schema import LANGS

# The five languages YİMER 157 serves (2025), named in each content language.
YIMER_LANGUAGES = {
    "tr": ("Türkçe", "İngilizce", "Arapça", "Farsça", "Rusça"),
    "en": ("Turkish", "English", "Arabic", "Persian", "Russian"),
    "ar": ("التركية", "الإنجليزية", "العربية", "الفارسية", "الروسية"),
    "fa": ("ترکی", "انگلیسی", "عربی", "فارسی", "روسی"),
    "ps": ("ترکي", "انګلیسي", "عربي", "فارسي", "روسي"),
    "ru": ("турецком", "английском", "арабском", "персидском", "русском"),
    "uk": ("турецькою", "англійською", "арабською", "перською", "російською"),
    "de": ("Türkisch", "Englisch", "Arabisch", "Persisch", "Russisch"),
    "fr": ("turc", "anglais", "arabe", "persan", "russe"),
}


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.mark.parametrize("lang", LANGS)
def test_yimer_157_names_its_languages_and_hours(kb, lang):
    text = kb.service("yimer-157").texts[lang]
    answer = plain(text.data["answer"])
    assert all(name in answer for name in YIMER_LANGUAGES[lang]), answer
    assert "24" in answer and "7" in answer
    assert "24" in text.data["deadlines"]


def test_offices_keep_the_most_common_public_office_hours(kb):
    assert {o["hours"]["mon-fri"] for o in kb.offices} == {"08:30-12:30, 13:30-17:30"}
    header = (DEFAULT_DIR / "offices.yaml").read_text(encoding="utf-8").split("offices:")[0]
    assert "Law No. 657" in header and "art. 100" in header
    page = Path(__file__).resolve().parents[2] / "portal" / "core" / "templates" / "core" / "offices.html"
    assert "Law No. 657, article 100" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_corrected_facts_in_every_language(kb, lang):
    def numbers(slug, name):
        value = kb.service(slug).texts[lang].data[name]
        return " ".join(value) if isinstance(value, list) else value
    # long-term residence permit: not a first application (6458 art. 42)
    assert "42" in numbers("residence-permit-application", "applies_to")
    # leaving Türkiye ends temporary protection (TP Regulation art. 12); a pending application ends (art. 77)
    guidance = numbers("third-country-and-voluntary-return", "general_guidance")
    assert "12" in guidance and "77" in guidance and "85" in guidance
    # work visas: consulates (6458 art. 11)
    assert "11" in numbers("work-permit-foreigners", "summary")
    # address: 20 working days from registration or the move; bases for TP and status holders
    bases = numbers("address-notification", "legal_basis")
    assert "90" in bases and "5490" in bases and " 71" not in bases


def test_the_turkish_source_states_the_corrections(kb):
    tr = {slug: kb.service(slug).texts["tr"].data for slug in (
        "protection-registration", "work-permit-foreigners", "residence-permit-application", "address-notification")}
    assert tr["protection-registration"]["fees"].startswith("Ücretsizdir")
    assert "konsolosluk" in tr["work-permit-foreigners"]["summary"]
    assert "uzun dönem ikamet izni ilk başvuruyla alınamaz" in tr["residence-permit-application"]["applies_to"][1]
    assert "Geçici Koruma Yönetmeliği" in " ".join(tr["address-notification"]["legal_basis"])
    assert "taşındığınız günden" in tr["address-notification"]["deadlines"]
