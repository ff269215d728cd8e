import json

import pytest

from knowledge.loader import load
from knowledge.search.engine import SearchEngine, Tuning
from knowledge.search.evaluate import EvalSetError, evaluate, format_report, read_set
from knowledge.search.index import build_index, load_index


@pytest.fixture()
def engine(kb, kb_dir, fake_encoder, tmp_path):
    build_index(kb, fake_encoder, tmp_path / "index")
    return SearchEngine(load_index(tmp_path / "index", "fake"), fake_encoder, lambda: load(kb_dir),
                        Tuning(abstain_below=0.3))


def write(tmp_path, rows):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    return path


def test_read_set_validates_lines(tmp_path):
    good = {"id": "a", "lang": "en", "question": "q", "expect": {"service": "x"}}
    assert read_set(write(tmp_path, [good])) == [good]
    with pytest.raises(EvalSetError, match=":2:"):
        read_set(write(tmp_path, [good, {"question": "q", "expect": {}}]))
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n")
    with pytest.raises(EvalSetError, match="not JSON"):
        read_set(bad)
    with pytest.raises(EvalSetError):
        read_set(tmp_path / "missing.jsonl")


def test_metrics_abstention_and_confusions(engine, tmp_path):
    rows = [
        {"id": "1", "lang": "en", "question": "how do I get a work permit", "expect": {"service": "work-permit"}},
        {"id": "2", "lang": "tr", "question": "ikamet izni nasıl alınır", "expect": {"service": "residence-permit"}},
        {"id": "3", "lang": "en", "question": "how do I get a work permit", "expect": {"service": "residence-permit"}},
        {"id": "4", "lang": "en", "question": "?!", "expect": {"intent": "out_of_scope"}},
        {"id": "5", "lang": "en", "question": "hello", "expect": {"intent": "greeting"}},
    ]
    report = evaluate(engine, read_set(write(tmp_path, rows)))
    table = report.by_lang()
    assert table["all"]["n"] == 3
    assert table["all"]["top1"] == pytest.approx(2 / 3)
    assert table["tr"]["top1"] == 1.0 and table["tr"]["mrr"] == 1.0
    assert 0 < table["en"]["mrr"] < 1
    abst = report.abstention()
    assert abst["out_of_scope"] == 1 and abst["recall"] == 1.0 and abst["intent_lines"] == 1
    assert report.confusions() == [("residence-permit", "work-permit", 1)]
    text = format_report(report)
    assert "all" in text and "residence-permit -> work-permit" in text and "p95" in text
