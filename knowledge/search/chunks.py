"""The knowledge base cut into searchable chunks: one row per field, item group or question.

Every complete language of every service contributes its title, summary, answer, who it applies
to, documents, steps, fees, deadlines, where to apply, general guidance and each example question.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from knowledge import yamlio

from ..loader import KnowledgeBase, plain
from ..schema import LANGS

OUT_OF_SCOPE = "~out-of-scope"      # pseudo-service of the out-of-scope anchors (never returned)
ANCHORS_FILE = Path(__file__).with_name("anchors.yaml")
TEXT_FIELDS = ("title", "summary", "answer", "fees", "deadlines", "where_to_apply")
LIST_FIELDS = ("applies_to", "documents", "steps", "general_guidance")


@dataclass(frozen=True)
class Chunk:
    id: int
    service: str
    lang: str
    kind: str      # field name, or "question"
    text: str

    def to_json(self) -> dict:
        return asdict(self)


def service_chunks(slug: str, lang: str, data: dict) -> list[tuple[str, str]]:
    """(kind, text) pairs for one service text (a language file's mapping)."""
    rows: list[tuple[str, str]] = []
    title = plain(str(data.get("title") or "")).strip()
    for name in TEXT_FIELDS:
        value = plain(str(data.get(name) or "")).strip()
        if value:
            # the title gives context to short fields ("Fees: none" says little alone)
            rows.append((name, value if name in ("title", "summary", "answer") else f"{title}: {value}"))
    for name in LIST_FIELDS:
        items = [plain(str(item)).strip() for item in data.get(name) or [] if str(item).strip()]
        if items:
            rows.append((name, f"{title}: " + "; ".join(items)))
    for question in data.get("questions") or []:
        text = plain(str(question)).strip()
        if text:
            rows.append(("question", text))
    return rows


def build_chunks(kb: KnowledgeBase) -> list[Chunk]:
    """All chunks of all complete service texts, in a stable order (service, language, field)."""
    chunks: list[Chunk] = []
    for slug in sorted(kb.services):
        svc = kb.services[slug]
        for lang in LANGS:
            text = svc.text(lang)
            if text is None:
                continue
            for kind, value in service_chunks(slug, lang, text.data):
                chunks.append(Chunk(len(chunks), slug, lang, kind, value))
    return chunks


def anchor_texts(path: Path = ANCHORS_FILE) -> list[tuple[str, str]]:
    """(lang, text) of every out-of-scope anchor in anchors.yaml."""
    data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    return [(lang, str(text)) for topic in (data.get("topics") or {}).values()
            for lang, texts in (topic or {}).items() for text in texts or []]


def anchors_hash(path: Path = ANCHORS_FILE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def anchor_chunks(first_id: int, path: Path = ANCHORS_FILE) -> list[Chunk]:
    """The out-of-scope anchors as chunks of the pseudo-service OUT_OF_SCOPE, ids from `first_id`."""
    return [Chunk(first_id + i, OUT_OF_SCOPE, lang, "anchor", text) for i, (lang, text) in enumerate(anchor_texts(path))]
