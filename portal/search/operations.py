"""Search operations: the process-wide engine, query validation, index build/state, evaluation.

Other features (chat fallback, staff console) call `get_engine()` or `search_services()`.
The engine and its encoder are created lazily on first use and kept on `app.extensions`; the
index is reloaded when `flask knowledge index` rewrites it (manifest checked every few seconds).
Apps in one process with the same index, encoder and content share one engine (`_shared_engine`).
"""
from __future__ import annotations

import os
import threading
import time
import unicodedata
from collections import OrderedDict
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from knowledge.loader import DEFAULT_DIR, load as load_knowledge
from knowledge.schema import LANGS
from knowledge.search.encoder import BACKENDS, EncoderError, make_encoder
from knowledge.search.engine import SearchEngine, SearchResult
from knowledge.search.index import SearchIndexError, build_index, index_status, load_index, MANIFEST_FILE
from knowledge.search.vector_cache import encoder_folder

from ..core.operations import health_check
from ..errors import DomainError, ValidationFailed
from ..knowledge_access import knowledge_base
from ..metrics import observe_search
from .signals import announce_search

MAX_QUERY = 1000
MAX_K = 10
_RECHECK_SECONDS = 5.0
_lock = threading.RLock()


class SearchUnavailable(DomainError):
    status, code = 503, "search_unavailable"


# -- validation ----------------------------------------------------------------------------------
def _bad_char(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") or ch in "\ufffe\uffff\ufffd"


def validate_query(q: object) -> str:
    """The stripped query text; raises ValidationFailed (field `q`) for anything unusable."""
    if q is None:
        raise ValidationFailed(_("Please type your question."), {"q": _("Please type your question.")})
    if not isinstance(q, str):
        raise ValidationFailed(_("This field must be text."), {"q": _("This field must be text.")})
    if any(_bad_char(ch) for ch in q):
        message = _("Your question contains characters that cannot be used.")
        raise ValidationFailed(message, {"q": message})
    text = " ".join(q.split())
    if not text:
        raise ValidationFailed(_("Please type your question."), {"q": _("Please type your question.")})
    if len(text) > MAX_QUERY:
        message = _("Your question is too long: at most %(max)d characters.", max=MAX_QUERY)
        raise ValidationFailed(message, {"q": message})
    return text


def validate_lang(lang: object) -> str | None:
    """None or one of the nine language codes; raises ValidationFailed (field `lang`)."""
    if lang is None:
        return None
    if not isinstance(lang, str) or lang not in LANGS:
        message = _("Please choose one of the supported languages.")
        raise ValidationFailed(message, {"lang": message})
    return lang


def validate_k(k: object) -> int:
    """Number of results: 3 when None, else an integer 1..MAX_K; raises ValidationFailed (field `k`)."""
    if k is None:
        return 3
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        message = _("Please ask for between 1 and %(max)d results.", max=MAX_K)
        raise ValidationFailed(message, {"k": message})
    return k


# -- engine --------------------------------------------------------------------------------------
# Process-wide: an encoder per (backend, model), and the engines of the last two index versions. One
# app per process in production; the tests make hundreds of apps, and each loaded the index (7,700
# chunks) and built an engine again (about 0.15 s). Engines are read-only once built.
_encoders: dict[tuple, object] = {}
_engines: OrderedDict[tuple, SearchEngine] = OrderedDict()


def _encoder():
    ext = current_app.extensions
    if "search_encoder" not in ext:
        with _lock:
            if "search_encoder" not in ext:
                cfg = current_app.config
                key = (cfg["ENCODER_BACKEND"], cfg["ENCODER_MODEL"], BACKENDS.get(cfg["ENCODER_BACKEND"]))
                if key not in _encoders:
                    _encoders[key] = make_encoder(cfg["ENCODER_BACKEND"], cfg["ENCODER_MODEL"])
                ext["search_encoder"] = _encoders[key]
    return ext["search_encoder"]


def _manifest_stamp(index_dir: str) -> tuple:
    """Changes whenever `flask knowledge index` rewrites the index (written atomically: a new file)."""
    try:
        st = (Path(index_dir) / MANIFEST_FILE).stat()
    except OSError:
        return ()
    return os.path.realpath(index_dir), st.st_ino, st.st_size, st.st_mtime_ns


def _shared_engine(stamp: tuple, encoder, index_dir: str, knowledge_dir: str) -> SearchEngine:
    """The engine for this index version, encoder and content (called under _lock)."""
    key = (stamp, id(encoder), knowledge_dir)
    engine = _engines.get(key)
    if engine is None or engine.encoder is not encoder:
        index = load_index(index_dir, encoder.backend, encoder.model)
        engine = SearchEngine(index, encoder, lambda: load_knowledge(knowledge_dir))
        _engines[key] = engine
        while len(_engines) > 2:          # the index in use and the one being switched to
            _engines.popitem(last=False)
    _engines.move_to_end(key)
    return engine


def get_engine() -> SearchEngine:
    """The process-wide engine (lazy; reloaded when the index on disk is rebuilt).

    Raises SearchUnavailable (503) when there is no usable index or the encoder cannot load.
    """
    ext, cfg = current_app.extensions, current_app.config
    cached = ext.get("search_engine")
    now = time.monotonic()
    if cached and now - cached["checked"] < _RECHECK_SECONDS:
        return cached["engine"]
    stamp = _manifest_stamp(cfg["INDEX_DIR"])
    if cached and cached["stamp"] == stamp:
        cached["checked"] = now
        return cached["engine"]
    with _lock:
        try:
            engine = _shared_engine(stamp, _encoder(), cfg["INDEX_DIR"], cfg["KNOWLEDGE_DIR"])
        except (SearchIndexError, EncoderError) as exc:
            current_app.logger.error("search unavailable: %s", exc)
            if cached:   # keep answering from the index already loaded
                return cached["engine"]
            raise SearchUnavailable() from exc
        ext["search_engine"] = {"engine": engine, "stamp": stamp, "checked": now}
        return engine


def search_services(q: object, lang: object = None, k: object = None, source: str | None = None) -> SearchResult:
    """Validate the input and search: the operation behind the search page and POST /api/v1/search.

    With `source` ("search", "bot", ...) the search is announced (`signals.search_done`: the staff
    queue counts it and keeps an abstention for the content team; a listener never fails the search).
    """
    text = validate_query(q)
    lang = validate_lang(lang)
    k = validate_k(k)
    started = time.perf_counter()
    result = get_engine().search(text, lang, k)
    observe_search(source, time.perf_counter() - started, result.abstain)
    if source:
        announce_search(text, result.lang, result.abstain, source)
    return result


# -- index build, state, evaluation --------------------------------------------------------------

def build_search_index(save_kept: bool = False, progress=None) -> dict:
    """Rebuild the index in INDEX_DIR from the current knowledge base, starting from the vectors kept in
    the repository (knowledge/search/vector_cache.py); with `save_kept`, bring those up to date (only
    when the knowledge base is the repository's own content). Returns the manifest."""
    encoder = _encoder()
    own_content = Path(current_app.config["KNOWLEDGE_DIR"]).resolve() == DEFAULT_DIR
    manifest = build_index(knowledge_base(), encoder, current_app.config["INDEX_DIR"],
                           kept=encoder_folder(encoder), save_kept=save_kept and own_content, progress=progress)
    current_app.extensions.pop("search_engine", None)
    return manifest


def index_state() -> tuple[str, dict]:
    """("ok" | "stale" | "missing" | "mismatch", detail) of the index on disk."""
    try:
        encoder = _encoder()
    except EncoderError as exc:
        return "mismatch", {"error": str(exc)}
    return index_status(current_app.config["INDEX_DIR"], knowledge_base().content_hash, encoder.backend, encoder.model)


def warm_up() -> bool:
    """True once this process has loaded the index and its encoder; until then start loading them in a
    background thread (one at a time) and return False. Loading only reads INDEX_DIR."""
    app = current_app._get_current_object()
    if app.extensions.get("search_warm"):
        return True
    with _lock:
        worker = app.extensions.get("search_warm_thread")
        if worker is None or not worker.is_alive():
            worker = threading.Thread(target=_warm, args=(app,), name="search-warm-up", daemon=True)
            app.extensions["search_warm_thread"] = worker
            worker.start()
    return False


def load_now(app) -> bool:
    """Load the index and its encoder in this process now (a gunicorn worker before its first
    request); True when search is ready."""
    _warm(app)
    return bool(app.extensions.get("search_warm"))


def _warm(app) -> None:
    with app.app_context():
        try:
            get_engine()
            _encoder().encode_queries(["ready"])    # the encoder loads its model on first use
        except (SearchUnavailable, EncoderError) as exc:
            app.logger.warning("search warm-up failed: %s", type(exc).__name__)
            return
        app.extensions["search_warm"] = True


@health_check("index")
def _index_health():
    """Required for readiness: the index on disk is usable (ok, or stale: content changed since the
    build, still answering) and loaded in this process; "loading" until then; missing / mismatch."""
    state, detail = index_state()
    loaded = state in ("ok", "stale") and warm_up()
    status = state if loaded or state not in ("ok", "stale") else "loading"
    return loaded, True, {**detail, "status": status}
