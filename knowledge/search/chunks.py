"""The knowledge base cut into searchable chunks: one row per field, item group or question.

Every complete language of every service contributes its title, summary, answer, who it applies
to, documents, steps, fees, deadlines, where to apply, general guidance and each example question.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from ..loader import KnowledgeBase, plain
from ..schema import LANGS

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
