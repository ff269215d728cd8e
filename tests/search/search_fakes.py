"""Test doubles for the search tests: a fast deterministic fake encoder and a tiny knowledge base."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import yaml

from knowledge.search.lexical import tokens


class FakeEncoder:
    """Hashed bag of word prefixes -> unit vector: texts sharing words are similar. No model."""

    backend = "fake"

    def __init__(self, model: str = "", dim: int = 64):
        self.model = model or f"hash-{dim}"
        self._dim = dim
        self.calls = 0

    @property
    def dim(self) -> int:
        return self._dim

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self._dim, dtype=np.float32)
        for tok in tokens(text):
            h = int(hashlib.md5(tok.encode()).hexdigest(), 16)
            v[h % self._dim] += 1.0 if (h >> 8) % 2 else -1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        self.calls += len(texts)
        return np.vstack([self._vec(t) for t in texts]) if texts else np.zeros((0, self._dim), np.float32)

    encode_passages = encode_queries


def _text(title, summary, answer, questions, **extra):
    data = {"title": title, "summary": summary, "answer": answer, "applies_to": ["Foreigners"],
            "documents": ["Passport", "Photo"], "steps": ["Apply", "Wait"], "fees": "None",
            "deadlines": "None", "where_to_apply": "Provincial directorate", "legal_basis": ["Law 6458"],
            "questions": questions, "source_revision": 1, "revision": 1}
    data.update(extra)
    return data


SERVICES = {
    "residence-permit": {
        "tr": _text("Kısa dönem ikamet izni", "Türkiye'de kalmak için ikamet izni başvurusu.",
                    "İkamet izni için e-ikamet üzerinden başvurun.",
                    ["ikamet izni nasıl alınır", "oturma izni başvurusu", "ikamet kartı ne zaman gelir"]),
        "en": _text("Short-term residence permit", "Applying for a residence permit to stay in Türkiye.",
                    "Apply for a residence permit online through e-ikamet.",
                    ["how do I get a residence permit", "apply for residence card to stay longer",
                     "when does the residence card arrive"]),
    },
    "work-permit": {
        "tr": _text("Çalışma izni", "Yabancıların çalışma izni başvurusu.", "Çalışma izni için işveren başvurur.",
                    ["çalışma izni nasıl alınır", "işveren çalışma izni başvurusu", "çalışma izni ücreti"]),
        "en": _text("Work permit", "Work permit applications for foreigners.",
                    "The employer applies for the work permit.",
                    ["how do I get a work permit", "can my employer apply for a work permit", "work permit fee"]),
    },
    "travel-permit": {
        "tr": _text("İl dışına çıkma izni", "Kayıtlı olunan ilden geçici olarak ayrılmak için izin belgesi.",
                    "İl dışına çıkmak için il müdürlüğünden izin belgesi alın.",
                    ["başka şehre gitmek için izin", "il dışına çıkma izni", "izin belgesi kaç gün"]),
    },
}


def write_kb(root: Path, services: dict = SERVICES) -> Path:
    """Write `services` as a knowledge folder under `root`; returns the content folder."""
    content = root / "content"
    for slug, texts in services.items():
        folder = content / "services" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "meta.yaml").write_text(yaml.safe_dump({"slug": slug, "category": "residence", "source": "x.txt",
                                                          "related": [], "bookable": False,
                                                          "last_reviewed": "2026-01-01"}), encoding="utf-8")
        for lang, data in texts.items():
            (folder / f"{lang}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return content
