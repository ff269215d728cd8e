"""The detector's training data: danger and safe lines per language and kind."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge import yamlio

from ..schema import LANGS
from . import DATA_DIR


@dataclass(frozen=True)
class Line:
    lang: str
    kind: str        # e.g. "violence-now" (danger) or "idioms" (safe)
    danger: bool
    text: str


def load_lines(data_dir: Path = DATA_DIR) -> list[Line]:
    """Every line of knowledge/emergency/<lang>.yaml, for the nine languages."""
    lines = []
    for lang in LANGS:
        path = data_dir / f"{lang}.yaml"
        if not path.exists():
            continue
        data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
        for section, danger in (("danger", True), ("safe", False)):
            for kind, texts in (data.get(section) or {}).items():
                lines += [Line(lang, str(kind), danger, str(t).strip()) for t in texts or [] if str(t).strip()]
    return lines
