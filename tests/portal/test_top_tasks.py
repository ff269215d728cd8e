"""Top tasks per language: chosen from what each language's readers need, each with its reason."""
from __future__ import annotations

import re

import pytest

from knowledge.schema import LANGS
from knowledge.validator import catalogue_slugs
from portal.core.tasks import PAGES, top_task_config


def test_every_language_has_tasks_and_a_reason():
    config = top_task_config()
    assert set(config) == set(LANGS)
    for lang, entry in config.items():
        assert len(entry["reason"].split()) >= 12, lang
        assert 4 <= len(entry["tasks"]) <= 6, lang
        for task in entry["tasks"]:
            assert ("service" in task) != ("page" in task), (lang, task)
            assert task.get("service") in catalogue_slugs() or task.get("page") in PAGES, (lang, task)


@pytest.mark.parametrize("lang", ["fa", "ps"])
def test_registering_for_protection_comes_first_for_afghan_readers(client, lang):
    assert top_task_config()[lang]["tasks"][0] == {"service": "protection-registration"}
    html = client.get(f"/{lang}/").get_data(as_text=True)
    cards = re.findall(r'<li class="card"><a href="([^"]+)"', html)
    assert cards[0] == f"/{lang}/services/protection-registration"


def test_languages_differ_where_their_readers_do(client):
    first = {lang: re.findall(r'<li class="card"><a href="([^"]+)"', client.get(f"/{lang}/").get_data(as_text=True))[0]
             for lang in ("ar", "fa", "uk", "fr")}
    assert first == {"ar": "/ar/services/protection-id-documents", "fa": "/fa/services/protection-registration",
                     "uk": "/uk/services/residence-permit-extension", "fr": "/fr/services/student-residence-permit"}
