from dataclasses import replace

import pytest

from knowledge.loader import load
from knowledge.search.engine import SearchEngine, Tuning
from knowledge.search.index import build_index, load_index


@pytest.fixture()
def engine(kb, kb_dir, fake_encoder, tmp_path):
    build_index(kb, fake_encoder, tmp_path / "index")
    index = load_index(tmp_path / "index", "fake", "hash-64")
    return SearchEngine(index, fake_encoder, lambda: load(kb_dir), Tuning(abstain_below=0.3))


def test_result_shape_and_language(engine):
    result = engine.search("how do I get a work permit", k=2)
    assert result.lang == "en" and not result.abstain
    top = result.results[0]
    assert set(top) == {"service", "title", "score", "url", "answer", "fallback"}
    assert top["service"] == "work-permit"
    assert top["title"] == "Work permit" and top["url"] == "/en/services/work-permit"
    assert top["fallback"] is False
    assert len(result.results) == 2
    assert result.to_json() == {"lang": "en", "abstain": False, "out_of_scope": False, "results": result.results}


def test_given_language_wins_and_texts_follow_it(engine):
    result = engine.search("çalışma izni nasıl alınır", lang="en", k=1)
    assert result.lang == "en"
    assert result.results[0]["service"] == "work-permit" and result.results[0]["title"] == "Work permit"


def test_turkish_fallback_is_flagged(engine):
    result = engine.search("il dışına çıkma izni belgesi", lang="en", k=1)
    top = result.results[0]
    assert top["service"] == "travel-permit"
    assert top["fallback"] is True and top["title"] == "İl dışına çıkma izni"
    assert top["url"] == "/en/services/travel-permit"


def test_abstains_when_nothing_is_close(engine):
    result = engine.search("quantum chromodynamics lecture notes")
    assert result.abstain and result.results == []


def test_margin_rule_abstains_on_ambiguous_weak_matches(engine):
    strict = SearchEngine(engine.index, engine.encoder, engine.kb_provider,
                          replace(engine.tuning, abstain_unsure=1.01, abstain_margin=10.0))
    assert strict.search("how do I get a work permit").abstain


def test_k_limits_results_and_ranking_is_sorted(engine):
    ranked = engine.rank("permit", "en")
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert len(engine.search("permit residence work", k=1).results) == 1


def test_service_removed_since_build_is_skipped(engine, kb_dir):
    import shutil
    from knowledge import loader
    shutil.rmtree(kb_dir / "services" / "work-permit")
    loader._cache.clear()
    result = engine.search("how do I get a work permit", k=3)
    assert all(r["service"] != "work-permit" for r in result.results)


def test_service_documents(engine):
    assert engine.service_documents("work-permit", "en") == (["Passport", "Photo"], False)
    assert engine.service_documents("travel-permit", "de") == (["Passport", "Photo"], True)
    assert engine.service_documents("nope", "en") == ([], False)


def test_out_of_scope_anchors_are_indexed_but_never_returned(engine):
    from knowledge.search.chunks import OUT_OF_SCOPE, anchor_texts
    anchors = [c for c in engine.index.chunks if c.service == OUT_OF_SCOPE]
    assert len(anchors) == len(anchor_texts()) > 0 and {c.kind for c in anchors} == {"anchor"}
    lang, text = anchor_texts()[0]
    ranked = engine.rank(text, lang)
    assert ranked.anchor > 0.99
    assert all(r.service != OUT_OF_SCOPE for r in ranked)
    assert engine.search(text, lang).abstain


def test_anchor_margin_decides(engine):
    ranked = engine.rank("how do I get a work permit", "en")
    assert not engine.should_abstain(ranked)
    ranked.anchor = ranked[0].best
    assert engine.should_abstain(ranked)
