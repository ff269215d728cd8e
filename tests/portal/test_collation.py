"""Lists and selects in the reader's alphabet (ICU collation): provinces in their Turkish places, services
by title, languages in the reader's script first."""
from __future__ import annotations

import re

import pytest

from portal.collation import collated, languages_in_order

PROVINCES_IN_ORDER = ["Bursa", "Çanakkale", "Çankırı", "Iğdır", "Isparta", "İstanbul", "İzmir", "Kırıkkale",
                      "Kilis", "Sivas", "Şanlıurfa", "Şırnak", "Zonguldak"]


def test_turkish_collation_puts_dotted_and_cedilla_letters_in_their_places():
    assert collated(reversed(PROVINCES_IN_ORDER), "tr") == PROVINCES_IN_ORDER


def test_every_language_sorts_its_own_script_first():
    assert [name for _, name, _ in languages_in_order("fa")][:3] == ["العربية", "پښتو", "فارسی"]
    assert [name for _, name, _ in languages_in_order("ru")][:2] == ["Русский", "Українська"]
    assert [code for code, _, _ in languages_in_order("tr")] == ["de", "en", "fr", "tr", "ru", "uk", "ar", "ps", "fa"]


def _positions(html: str, names: list[str]) -> list[int]:
    return [html.index(name) for name in names]


def test_the_booking_province_select_is_in_turkish_order(client):
    html = client.get("/ar/book/office?service=travel-permit").get_data(as_text=True)
    options = re.findall(r'<option value="\d+" lang="tr"[^>]*>([^<]+)</option>', html)
    assert len(options) == 81
    assert options == collated(options, "tr")
    assert options.index("İstanbul") == options.index("Isparta") + 1
    assert options.index("Şanlıurfa") == options.index("Sivas") + 1
    assert options[-1] == "Zonguldak"


def test_the_offices_page_is_in_turkish_order(client):
    html = client.get("/fa/offices").get_data(as_text=True)
    names = re.findall(r'<td><bdi lang="tr" dir="ltr">([^<]+) İl Göç İdaresi Müdürlüğü</bdi></td>', html)
    assert len(names) == 81 and names == collated(names, "tr")
    assert names.index("Çanakkale") < names.index("Denizli") and names.index("İzmir") < names.index("Kahramanmaraş")


@pytest.mark.parametrize("lang", ["tr", "ru", "fa"])
def test_service_lists_are_in_the_readers_alphabet(client, lang):
    html = client.get(f"/{lang}/services").get_data(as_text=True)
    for section in re.findall(r'<ul class="link-list">(.*?)</ul>', html, re.S):
        titles = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r'<a href="[^"]+">(.*?)</a>', section, re.S)]
        assert titles == collated(titles, lang), titles


def test_the_language_switcher_follows_the_readers_order(client):
    html = client.get("/tr/").get_data(as_text=True)
    switcher = html[html.index('class="wrap lang-switcher"'):]
    codes = re.findall(r'hreflang="(\w+)"', switcher)[:9]
    assert codes == [code for code, _, _ in languages_in_order("tr")]
