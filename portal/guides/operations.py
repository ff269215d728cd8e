"""Read-side operations for the service guides."""
from __future__ import annotations

from knowledge.loader import plain

from ..collation import collated
from ..errors import NotFound
from ..knowledge_access import knowledge_base


def get_service(slug: str):
    """The service with this slug, or NotFound."""
    svc = knowledge_base().service(slug)
    if svc is None:
        raise NotFound()
    return svc


def _shown_title(svc, text) -> str:
    shown = text or svc.texts.get("tr")          # pages show the Turkish title when not translated
    return shown.data.get("title") or svc.slug if shown else svc.slug


def _titled(services, lang: str) -> list[tuple]:
    """[(service, text-or-None)] in the reader's alphabetical order of the titles shown."""
    return collated([(s, s.text(lang)) for s in services], lang, key=lambda pair: _shown_title(*pair))


def list_services(lang: str) -> list[tuple[str, dict, list]]:
    """(category key, names, [(service, text-or-None)]): categories in catalogue order, the services of
    each in the reader's alphabetical order."""
    kb = knowledge_base()
    return [(key, kb.categories.get(key, {}), _titled(services, lang)) for key, services in kb.by_category().items()]


def related_services(svc, lang: str) -> list[tuple]:
    kb = knowledge_base()
    return _titled([kb.service(slug) for slug in svc.related if kb.service(slug)], lang)


def source_documents(svc) -> list[dict]:
    """The guide's sources by document title (knowledge/content/sources.yaml), never by file name."""
    return svc.source_documents(knowledge_base().documents)


def service_title(slug: str, lang: str) -> str:
    """The plain title of a service in `lang` (the Turkish title when not translated; the slug when unknown).

    The one place titles are built: pages, the API, the booking steps and the staff console use it."""
    svc = knowledge_base().service(slug)
    text = (svc.text(lang) or svc.texts.get("tr")) if svc else None
    return plain(text.data.get("title", slug)) if text else slug
