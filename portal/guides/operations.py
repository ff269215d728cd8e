"""Read-side operations for the service guides."""
from __future__ import annotations

from ..errors import NotFound
from ..knowledge_access import knowledge


def get_service(slug: str):
    """The service with this slug, or NotFound."""
    svc = knowledge().service(slug)
    if svc is None:
        raise NotFound()
    return svc


def list_services(lang: str) -> list[tuple[str, dict, list]]:
    """(category key, names, [(service, text-or-None)]) in catalogue order."""
    kb = knowledge()
    out = []
    for key, services in kb.by_category().items():
        out.append((key, kb.categories.get(key, {}), [(s, s.text(lang)) for s in services]))
    return out


def related_services(svc, lang: str) -> list[tuple]:
    kb = knowledge()
    return [(kb.service(slug), kb.service(slug).text(lang)) for slug in svc.related if kb.service(slug)]
