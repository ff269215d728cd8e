"""Read-side operations for the service guides."""
from __future__ import annotations

from knowledge.loader import plain

from ..errors import NotFound
from ..knowledge_access import knowledge_base


def get_service(slug: str):
    """The service with this slug, or NotFound."""
    svc = knowledge_base().service(slug)
    if svc is None:
        raise NotFound()
    return svc


def list_services(lang: str) -> list[tuple[str, dict, list]]:
    """(category key, names, [(service, text-or-None)]) in catalogue order."""
    kb = knowledge_base()
    out = []
    for key, services in kb.by_category().items():
        out.append((key, kb.categories.get(key, {}), [(s, s.text(lang)) for s in services]))
    return out


def related_services(svc, lang: str) -> list[tuple]:
    kb = knowledge_base()
    return [(kb.service(slug), kb.service(slug).text(lang)) for slug in svc.related if kb.service(slug)]


def service_title(slug: str, lang: str) -> str:
    """The plain title of a service in `lang` (the Turkish title when not translated; the slug when unknown).

    The one place titles are built: pages, the API, the booking steps and the staff console use it."""
    svc = knowledge_base().service(slug)
    text = (svc.text(lang) or svc.texts.get("tr")) if svc else None
    return plain(text.data.get("title", slug)) if text else slug
