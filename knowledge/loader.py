"""Load the knowledge base from YAML into plain dataclasses (cached per folder)."""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge import yamlio

from .schema import LANGS, SERVICE_OPTIONAL_FIELDS, SERVICE_TEXT_FIELDS, SOURCE_LANG

DEFAULT_DIR = Path(__file__).resolve().parent / "content"
TERM_RE = re.compile(r"\[\[(.+?)\]\]")


def plain(text: str) -> str:
    """Text without the [[term]] markup (for search, the bot and the number check)."""
    return TERM_RE.sub(r"\1", text or "")


@dataclass
class ServiceText:
    lang: str
    data: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        if name in SERVICE_TEXT_FIELDS or name in SERVICE_OPTIONAL_FIELDS:
            default = [] if (SERVICE_TEXT_FIELDS | SERVICE_OPTIONAL_FIELDS)[name] == "list" else ""
            return self.data.get(name) or default
        raise AttributeError(name)

    @property
    def questions(self) -> list[str]:
        return list(self.data.get("questions") or [])

    @property
    def review(self) -> dict:
        return self.data.get("review") or {}


@dataclass
class Service:
    slug: str
    meta: dict[str, Any]
    texts: dict[str, ServiceText] = field(default_factory=dict)

    @property
    def category(self) -> str:
        return self.meta.get("category", "")

    @property
    def related(self) -> list[str]:
        return list(self.meta.get("related") or [])

    @property
    def bookable(self) -> bool:
        return bool(self.meta.get("bookable"))

    @property
    def sources(self) -> list[str]:
        src = self.meta.get("source") or []
        return [src] if isinstance(src, str) else list(src)

    def source_documents(self, documents: dict[str, dict]) -> list[dict]:
        """The sources as {"file", "title", "publisher", "year"}; a file missing from sources.yaml has no title."""
        return [{"file": name, **(documents.get(name) or {})} for name in self.sources]

    @property
    def last_reviewed(self) -> str:
        return str(self.meta.get("last_reviewed", ""))

    @property
    def source_revision(self) -> int:
        tr = self.texts.get(SOURCE_LANG)
        return int(tr.data.get("revision", 0)) if tr else 0

    def languages(self) -> list[str]:
        return [lang for lang in LANGS if self.is_complete(lang)]

    def is_complete(self, lang: str) -> bool:
        text = self.texts.get(lang)
        return bool(text) and all(text.data.get(f) for f in SERVICE_TEXT_FIELDS)

    def text(self, lang: str) -> ServiceText | None:
        """The text in `lang` if that language is complete, else None (never a silent fallback)."""
        return self.texts[lang] if self.is_complete(lang) else None


@dataclass
class KnowledgeBase:
    root: Path
    categories: dict[str, dict[str, str]]
    services: dict[str, Service]
    offices: list[dict[str, Any]]
    contacts: dict[str, Any]
    errors: list[str]          # problems met while reading files (reported by the validator)
    content_hash: str
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)   # source file -> title, publisher, year

    def service(self, slug: str) -> Service | None:
        return self.services.get(slug)

    def by_category(self) -> dict[str, list[Service]]:
        out: dict[str, list[Service]] = {key: [] for key in self.categories}
        for svc in self.services.values():
            out.setdefault(svc.category, []).append(svc)
        return out

    def office(self, code: int | str) -> dict | None:
        for office in self.offices:
            if str(office["code"]) == str(code):
                return office
        return None


def _read_yaml(path: Path, errors: list[str]) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yamlio.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        errors.append(f"{path}: cannot read: {exc}")
        return None


_RECHECK_SECONDS = 3.0
_cache: dict[str, tuple[float, tuple, KnowledgeBase]] = {}


def load(root: str | Path | None = None) -> KnowledgeBase:
    """The knowledge base in `root`, re-read only when a file changed (checked every few seconds)."""
    root = Path(root or DEFAULT_DIR).resolve()
    key = str(root)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[0] < _RECHECK_SECONDS:
        return cached[2]
    signature = _stat_signature(root)
    if cached and cached[1] == signature:
        _cache[key] = (now, signature, cached[2])
        return cached[2]
    kb = _read(root)
    _cache[key] = (now, signature, kb)
    return kb


def _stat_signature(root: Path) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.rglob("*.yaml")))


def _read(root: Path) -> KnowledgeBase:
    errors: list[str] = []
    categories = _read_yaml(root / "categories.yaml", errors) or {}
    offices = (_read_yaml(root / "offices.yaml", errors) or {}).get("offices", [])
    contacts = _read_yaml(root / "contacts.yaml", errors) or {}
    services: dict[str, Service] = {}
    svc_root = root / "services"
    for folder in sorted(p for p in svc_root.iterdir() if p.is_dir()) if svc_root.exists() else []:
        meta = _read_yaml(folder / "meta.yaml", errors) if (folder / "meta.yaml").exists() else None
        if not isinstance(meta, dict):
            errors.append(f"{folder.name}: meta.yaml missing or not a mapping")
            meta = {"slug": folder.name}
        svc = Service(slug=folder.name, meta=meta)
        for lang in LANGS:
            path = folder / f"{lang}.yaml"
            if path.exists():
                data = _read_yaml(path, errors)
                if isinstance(data, dict):
                    svc.texts[lang] = ServiceText(lang=lang, data=data)
                elif data is not None:
                    errors.append(f"{path}: not a mapping")
        services[folder.name] = svc
    documents = (_read_yaml(root / "sources.yaml", errors) or {}).get("documents", {}) \
        if (root / "sources.yaml").exists() else {}
    return KnowledgeBase(root, categories, services, offices, contacts, errors, _tree_hash(root), documents=documents)


def _tree_hash(root: Path) -> str:
    """Hash of every content file's path and bytes: changes whenever content changes."""
    digest = hashlib.sha256()
    if root.exists():
        for path in sorted(root.rglob("*.yaml")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
