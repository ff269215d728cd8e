"""Build and load the search index: FAISS inner-product index + chunk table + manifest.

Files in the index folder (JSON and FAISS only, never pickle):
  index.faiss     IndexFlatIP over L2-normalised chunk vectors (inner product = cosine)
  chunks.jsonl    one chunk per line, row i = vector i
  manifest.json   backend, model, dim, content_hash, built_at, build_seconds, counts

Loading refuses an index built with another encoder (IndexMismatch); a content hash different
from the knowledge base's (or changed out-of-scope anchors) means the index is stale (reported,
still usable).
"""
from __future__ import annotations

import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..loader import KnowledgeBase
from .chunks import OUT_OF_SCOPE, Chunk, anchor_chunks, anchors_hash, build_chunks
from .encoder import Encoder, quiet_openmp
from .vector_cache import load_vectors, save_vectors, text_key

INDEX_FILE, CHUNKS_FILE, MANIFEST_FILE = "index.faiss", "chunks.jsonl", "manifest.json"
FORMAT_VERSION = 1
ENCODE_STEP = 256           # texts encoded between two progress reports


class SearchIndexError(RuntimeError):
    """Base class of index problems."""


class IndexMissing(SearchIndexError):
    """No (complete) index in the folder."""


class IndexMismatch(SearchIndexError):
    """The index was built with another encoder than the one configured."""


@dataclass
class SearchIndex:
    faiss_index: object
    chunks: list[Chunk]
    manifest: dict

    @property
    def content_hash(self) -> str:
        return self.manifest.get("content_hash", "")


def _faiss():
    """Import faiss lazily (its loader logs every CPU-feature probe at INFO: keep that quiet)."""
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)
    quiet_openmp()
    import faiss
    return faiss


def build_index(kb: KnowledgeBase, encoder: Encoder, index_dir: str | Path, kept: Path | None = None,
                save_kept: bool = False, progress=None) -> dict:
    """Embed every chunk of `kb` with `encoder`, write the three files into `index_dir`; returns the manifest.

    Vectors already known are reused: the previous index in `index_dir`, and `kept`, a folder of
    vectors kept in the repository (`vector_cache`); with `save_kept` that folder is brought up to
    date with this knowledge base after the build (only for the repository's own content).
    `progress(done, total)` is called as new texts are encoded."""
    faiss = _faiss()
    started = time.perf_counter()
    chunks = build_chunks(kb)
    if not chunks:
        raise IndexMissing("the knowledge base has no complete service text to index")
    chunks += anchor_chunks(len(chunks))
    folder = Path(index_dir)
    cache = previous_vectors(folder, encoder)
    shipped = load_vectors(kept)
    texts = [c.text for c in chunks]
    todo = sorted({t for t in texts if t not in cache and text_key(t) not in shipped})
    for start in range(0, len(todo), ENCODE_STEP):
        part = todo[start:start + ENCODE_STEP]
        cache.update(zip(part, encoder.encode_passages(part)))
        if progress:
            progress(start + len(part), len(todo))
    vectors = np.vstack([cache[t] if t in cache else shipped[text_key(t)] for t in texts]).astype(np.float32)
    if save_kept:
        save_vectors(kept, chunks, vectors)
    dim = int(vectors.shape[1])
    index = faiss.IndexFlatIP(dim)
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT_VERSION,
        "backend": encoder.backend,
        "model": encoder.model,
        "dim": dim,
        "content_hash": kb.content_hash,
        "anchors_hash": anchors_hash(),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 2),
        "counts": {
            "chunks": len(chunks),
            "encoded": len(todo),
            "services": len({c.service for c in chunks if c.service != OUT_OF_SCOPE}),
            "by_lang": dict(sorted(Counter(c.lang for c in chunks).items())),
            "by_kind": dict(sorted(Counter(c.kind for c in chunks).items())),
        },
    }
    # write next to the targets, then rename: a reader never sees a half-written index
    tmp_index, tmp_chunks, tmp_manifest = (folder / f".{name}.tmp" for name in (INDEX_FILE, CHUNKS_FILE, MANIFEST_FILE))
    faiss.write_index(index, str(tmp_index))
    with tmp_chunks.open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
    tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp_index, folder / INDEX_FILE)
    os.replace(tmp_chunks, folder / CHUNKS_FILE)
    os.replace(tmp_manifest, folder / MANIFEST_FILE)
    return manifest


def previous_vectors(folder: Path, encoder: Encoder) -> dict[str, np.ndarray]:
    """text -> vector from the index already in `folder` when the same encoder built it (else {}).

    Passage encoding is deterministic, so a rebuild only encodes chunks whose text changed.
    """
    faiss = _faiss()
    manifest = read_manifest(folder)
    if not manifest or manifest.get("backend") != encoder.backend or manifest.get("model") != encoder.model:
        return {}
    try:
        index = faiss.read_index(str(folder / INDEX_FILE))
        with (folder / CHUNKS_FILE).open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in fh if line.strip()]
        if index.ntotal != len(texts):
            return {}
        vectors = index.reconstruct_n(0, index.ntotal)
    except (OSError, ValueError, KeyError, RuntimeError):
        return {}
    return dict(zip(texts, vectors))


def read_manifest(index_dir: str | Path) -> dict | None:
    """The manifest, or None when the folder holds no complete index."""
    folder = Path(index_dir)
    if not all((folder / name).is_file() for name in (INDEX_FILE, CHUNKS_FILE, MANIFEST_FILE)):
        return None
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def check_encoder(manifest: dict, backend: str, model: str) -> None:
    """Raise IndexMismatch unless the manifest was built by `backend`/`model`."""
    if manifest.get("backend") != backend or (model and manifest.get("model") != model):
        raise IndexMismatch(
            f"index built with {manifest.get('backend')}:{manifest.get('model')}, "
            f"configured encoder is {backend}:{model or '(default)'}; run `flask knowledge index`")


def load_index(index_dir: str | Path, backend: str, model: str = "") -> SearchIndex:
    """Load the index in `index_dir`; refuses one built with another encoder."""
    faiss = _faiss()
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise IndexMissing(f"no search index in {index_dir}; run `flask knowledge index`")
    check_encoder(manifest, backend, model)
    folder = Path(index_dir)
    index = faiss.read_index(str(folder / INDEX_FILE))
    with (folder / CHUNKS_FILE).open(encoding="utf-8") as fh:
        chunks = [Chunk(**json.loads(line)) for line in fh if line.strip()]
    if index.ntotal != len(chunks) or index.d != manifest.get("dim"):
        raise IndexMissing(f"index in {index_dir} is inconsistent (vectors, chunks and manifest disagree); rebuild it")
    return SearchIndex(index, chunks, manifest)


def index_status(index_dir: str | Path, content_hash: str, backend: str, model: str = "") -> tuple[str, dict]:
    """("ok" | "stale" | "missing" | "mismatch", detail) without loading vectors."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return "missing", {}
    detail = {"built_at": manifest.get("built_at"), "content_hash": manifest.get("content_hash"),
              "chunks": (manifest.get("counts") or {}).get("chunks"),
              "encoder": f"{manifest.get('backend')}:{manifest.get('model')}"}
    try:
        check_encoder(manifest, backend, model)
    except IndexMismatch:
        return "mismatch", detail
    if manifest.get("content_hash") != content_hash or manifest.get("anchors_hash") != anchors_hash():
        return "stale", detail
    return "ok", detail
