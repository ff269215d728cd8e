"""What the offline worker may keep on a phone, and the content version of each guide.

The worker (portal/offline/sw.js) stores a page only when both sides agree:
- its path matches one of `storable_patterns()` (guides, checklists, the offline and saved-guides pages),
- and the response opts in with `X-Offline-Storable`, which `mark_storable` sets only for
  `STORABLE_ENDPOINTS`, on a 200 to a GET without query, never on a no-store or private response.
These pages are rendered from the URL alone (content and language), the same for every visitor:
tests/offline/test_what_is_stored.py renders them for a signed-in agent with a booking and a chat in
the session and for an anonymous visitor and requires the same bytes. (The session itself is no
signal: Flask-Login reads, and for any non-empty session rewrites, it on every page.)
Booking and manage pages, case lookups, chat, search, /staff and /api match neither, so they are never
stored (tests/offline/test_what_is_stored.py walks the URL map and runs the worker's own rule on every route).
"""
from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from flask import current_app, request
from flask_babel import gettext as _

from knowledge.loader import plain
from knowledge.schema import SOURCE_LANG

from ..i18n import LANGUAGES, current_lang
from ..knowledge_access import knowledge_base

# endpoint -> the kind of page the worker stores
STORABLE_ENDPOINTS = {
    "guides.guide": "guide",
    "guides.checklist": "checklist",
    "offline.offline_page": "offline",
    "offline.saved_guides": "saved",
}
# Parts of a guide whose change matters to someone holding an old copy: the notice names them.
MATERIAL_PARTS = ("deadlines", "fees", "documents")
STORABLE_HEADER = "X-Offline-Storable"


def storable_patterns() -> list[str]:
    """Path patterns of storable pages (regular expressions valid in Python and JavaScript)."""
    langs = "|".join(LANGUAGES)
    return [rf"^/({langs})/services/[a-z0-9-]+(/checklist)?$", rf"^/({langs})/(offline|saved)$"]


def worker_settings() -> dict:
    """The settings the worker script starts with (caps, timeout, languages, what it may store)."""
    cfg = current_app.config
    return {
        "langs": list(LANGUAGES),
        "storable": storable_patterns(),
        "maxEntries": cfg["OFFLINE_MAX_ENTRIES"],
        "maxBytes": cfg["OFFLINE_MAX_BYTES"],
        "timeoutMs": cfg["OFFLINE_TIMEOUT_MS"],
    }


def _digest(value, length: int) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:length]


def guide_version(svc, lang: str) -> tuple[str, dict[str, str]]:
    """(content version of the guide in `lang`, {part: version} of the parts that matter).

    A part's version covers the Turkish source and the translation: a change to either is reported."""
    source = svc.texts.get(SOURCE_LANG)
    texts = [t.data if t else None for t in (source, svc.texts.get(lang))]
    material = {part: _digest([t and t.get(part) for t in texts], 8) for part in MATERIAL_PARTS}
    return _digest([svc.meta, texts], 16), material


def _is_private(response) -> bool:
    cache_control = response.headers.get("Cache-Control", "").lower()
    return "no-store" in cache_control or "private" in cache_control


def mark_storable(response):
    """Add the worker's opt-in headers (kind, title, content version) to a storable page; ETag it."""
    kind = STORABLE_ENDPOINTS.get(request.endpoint or "")
    if (kind is None or request.method != "GET" or request.args or response.status_code != 200
            or _is_private(response)):
        return response
    title = ""
    if kind in ("guide", "checklist"):
        svc = knowledge_base().service((request.view_args or {}).get("slug", ""))
        text = svc.text(current_lang()) if svc else None
        if text is None:        # "not yet in your language": nothing worth keeping
            return response
        version, material = guide_version(svc, current_lang())
        response.headers["X-Content-Version"] = version
        response.headers["X-Content-Material"] = ";".join(f"{k}={v}" for k, v in material.items())
        title = plain(text.title)
    elif kind == "saved":
        title = _("Saved guides")
    response.headers[STORABLE_HEADER] = kind
    response.headers["X-Offline-Title"] = quote(title)
    response.headers["Cache-Control"] = "no-cache"     # always revalidated; the ETag makes that cheap
    response.add_etag()
    return response.make_conditional(request)
