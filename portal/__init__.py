"""The portal: Flask app factory."""
from __future__ import annotations

import logging

from flask import Flask

from . import db, metrics, requestlog
from .config import ROOT, load_config
from .errors import register_error_handlers
from .extensions import babel, csrf, limiter
from .i18n import babel_locale
from .security import register_security
from .sessions import EncryptedCookieSessionInterface

# Feature blueprints, registered in this order: "module:attribute".
BLUEPRINTS = (
    "portal.core.routes:root",
    "portal.core.routes:bp",
    "portal.guides.routes:bp",
    "portal.search.routes:bp",
    "portal.appointments.routes:bp",
    "portal.cases.routes:bp",
    "portal.chat.routes:page",
    "portal.offline.routes:worker",
    "portal.offline.routes:bp",
    "portal.staff.auth.routes:bp",
    "portal.staff.suggest.routes:bp",
    "portal.staff.queue.routes:bp",
    "portal.staff.offices.routes:bp",
    "portal.staff.audit.routes:bp",
    "portal.staff.inbox.routes:bp",
)

# The JSON API (flask-smorest, one OpenAPI document at /api/v1/openapi.json), in this order.
API_BLUEPRINTS = (
    "portal.api.search:blp",
    "portal.api.chat:blp",
    "portal.api.appointments:blp",
    "portal.api.cases:blp",
    "portal.api.staff:blp",
)


def _load(target: str):
    """"module:attribute" -> the attribute."""
    module_name, attr = target.split(":")
    return getattr(__import__(module_name, fromlist=[attr]), attr)


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides keys of the declared config (see portal/config.py)."""
    cfg = load_config(config)
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
        instance_path=cfg["INSTANCE_PATH"],
    )
    app.config.update(cfg)
    from .templating import use_shared_bytecode
    use_shared_bytecode(app)
    app.config.update(
        TESTING=cfg["ENV"] == "testing" or cfg.get("TESTING", False),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=64 * 1024,
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        BABEL_DEFAULT_LOCALE="tr",
        JSON_SORT_KEYS=False,
        RATELIMIT_STORAGE_URI=cfg["RATELIMIT_STORAGE_URL"] or cfg["REDIS_URL"] or "memory://",
        # a moving window: a fixed one lets twice a limit through across its edge (20 sign-in tries at
        # 10:00:59, 20 more at 10:01:00), and made the limit tests depend on when they ran
        RATELIMIT_STRATEGY="moving-window",
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,   # Redis down: count in memory meanwhile, never fail a request
        # Flask-Limiter's switch is one per process (its Limiter is shared by every app made here), so it
        # stays on; each app's own RATELIMIT_ENABLED is applied by a request filter (extensions.py).
        RATELIMIT_ENABLED=True,
        PORTAL_RATELIMIT_ENABLED=cfg["RATELIMIT_ENABLED"],
        WTF_CSRF_TIME_LIMIT=None,
    )
    requestlog.init_app(app)    # first: the request id exists before any other hook may refuse a request
    logging.getLogger("alembic").setLevel(logging.WARNING)
    db.init_app(app)
    babel.init_app(app, locale_selector=babel_locale)
    csrf.init_app(app)
    from .staff.auth.access import login_manager
    login_manager.init_app(app)
    limiter.init_app(app)
    register_error_handlers(app)
    register_security(app)
    app.session_interface = EncryptedCookieSessionInterface()
    for target in BLUEPRINTS:
        app.register_blueprint(_load(target))
    from .api.base import init_api
    init_api(app, [_load(target) for target in API_BLUEPRINTS])
    from .cli import register_cli
    register_cli(app)
    from .templating import register_templating
    register_templating(app)
    metrics.init_app(app)
    return app
