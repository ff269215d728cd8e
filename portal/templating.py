"""Template globals and filters: language switcher URLs, [[term]] isolation, contacts, static URLs.

Static files are addressed by content: every `url_for("static", filename=...)` (and `static_url`) gets
`?v=<first 12 hex of the file's SHA-256>`. A request whose `v` matches the file as it is now is answered
with a year-long immutable Cache-Control; any other static request revalidates (`no-cache`), so a
proxy or the offline worker never keeps an old file under a new URL. A proxy serving /static/ itself
(issue #15) gives the long lifetime only to URLs carrying `v` (nginx: a `map $arg_v`).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import current_app, g, request, url_for
from flask_babel import format_date, format_time
from jinja2 import BytecodeCache
from markupsafe import Markup, escape

from knowledge.loader import TERM_RE

from .collation import languages_in_order
from .fonts import ARABIC_FONT_FILE, uses_arabic_font
from .i18n import LANGUAGES, current_lang, direction
from .knowledge_access import knowledge_base
from .timeutil import as_istanbul

_PHONE_RE = re.compile(r"(\+?\d[\d ]{2,}\d)")
# chat text: phone numbers, references (GIB-7K3M-Q9, GC-2026-7K3M9Q), access codes and times (same
# pattern as static/js/chat.js) keep their left-to-right order inside right-to-left messages
_CHAT_LTR_RE = re.compile(r"(\+?\d[\d ()-]{6,}\d|[A-Z]{2,3}-[A-Z0-9]{4}(?:-[A-Z0-9]{2,6})+|GC-\d{4}-[A-Z0-9]{6}"
                          r"|\b[A-Z0-9]{4}-[A-Z0-9]{4}\b|\b\d{1,2}[:.]\d{2}\b)")


def render_text(text: str | None) -> Markup:
    """Escape content text; isolate [[Turkish terms]] and numbers so they read right in RTL."""
    escaped = str(escape(text or ""))
    escaped = _PHONE_RE.sub(r'<bdi dir="ltr">\1</bdi>', escaped)
    escaped = TERM_RE.sub(r'<bdi lang="tr" dir="ltr">\1</bdi>', escaped)
    return Markup(escaped)


def chat_text(text: str | None) -> Markup:
    """Escape a chat message and isolate its numbers, references, codes and times (bidi)."""
    return Markup(_CHAT_LTR_RE.sub(r'<bdi dir="ltr">\1</bdi>', str(escape(text or ""))))


def switch_lang_url(lang: str) -> str:
    """The current page in another language (falls back to that language's home)."""
    endpoint = request.endpoint
    args = dict(request.view_args or {})
    if request.path.startswith("/staff/"):      # the console keeps its page; ?lang= switches it
        query = {k: v for k, v in request.args.items() if k != "lang"}
        return url_for(endpoint, **args, **query, lang=lang) if endpoint else url_for("core.home", lang=lang)
    if endpoint and request.blueprint and "lang" in (request.url_rule.arguments if request.url_rule else ()):
        args["lang"] = lang
        try:
            return url_for(endpoint, **args)
        except Exception:  # noqa: BLE001 - any build error means: go home
            pass
    return url_for("core.home", lang=lang)


STATIC_LIFETIME = "public, max-age=31536000, immutable"
_fingerprints: dict[str, tuple[int, int, str]] = {}     # path -> (mtime_ns, size, hash)


def static_fingerprint(filename: str) -> str | None:
    """First 12 hex digits of the SHA-256 of static/<filename> (None when there is no such file)."""
    folder = Path(current_app.static_folder).resolve()
    path = (folder / filename).resolve()
    if folder not in path.parents:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    known = _fingerprints.get(str(path))
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    _fingerprints[str(path)] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def static_url(filename: str) -> str:
    """The content-addressed URL of a static file: the project's one way to link to /static."""
    return url_for("static", filename=filename)


def _fingerprint_static_urls(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and values.get("filename"):
        version = static_fingerprint(values["filename"])
        if version:
            values["v"] = version


def _static_cache_headers(response):
    if request.endpoint == "static" and response.status_code in (200, 304):
        current = static_fingerprint((request.view_args or {}).get("filename", ""))
        fingerprinted = current is not None and request.args.get("v") == current
        response.headers["Cache-Control"] = STATIC_LIFETIME if fingerprinted else "no-cache"
    return response


class SharedBytecode(BytecodeCache):
    """Compiled templates kept for every app this process makes: a server makes one, the tests hundreds,
    each of which compiled every template it rendered again (20-30 ms a page). Jinja checks each entry
    against the template's source; the key also holds the environment's options, which the code depends on."""

    def __init__(self):
        self._store: dict[tuple, bytes] = {}

    @staticmethod
    def _key(bucket) -> tuple:
        env = bucket.environment
        autoescape = "by name" if callable(env.autoescape) else env.autoescape    # Flask's: one per app, same rule
        return bucket.key, env.trim_blocks, env.lstrip_blocks, autoescape, tuple(sorted(env.extensions))

    def load_bytecode(self, bucket) -> None:
        code = self._store.get(self._key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._store[self._key(bucket)] = bucket.bytecode_to_string()


SHARED_BYTECODE = SharedBytecode()


def use_shared_bytecode(app) -> None:
    """Before anything touches `app.jinja_env` (it is made from `jinja_options` on first use)."""
    app.jinja_options = {**app.jinja_options, "bytecode_cache": SHARED_BYTECODE}


def register_templating(app) -> None:
    app.jinja_env.filters["text"] = render_text
    app.jinja_env.filters["chat_text"] = chat_text
    app.jinja_env.filters["istanbul"] = as_istanbul     # naive UTC from the database -> Istanbul time
    app.jinja_env.globals.update(format_date=format_date, format_time=format_time, static_url=static_url)
    app.url_defaults(_fingerprint_static_urls)
    app.after_request(_static_cache_headers)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        lang = current_lang()
        return {
            "LANGUAGES": LANGUAGES,
            "lang": lang,
            "dir": direction(lang),
            "switch_lang_url": switch_lang_url,
            "contacts": knowledge_base().contacts.get("numbers", []),
            "page_lang_known": bool(getattr(g, "lang", None)),
            "switcher_languages": languages_in_order(lang),
            "arabic_font": f"fonts/{ARABIC_FONT_FILE}" if uses_arabic_font(lang) else None,
        }
