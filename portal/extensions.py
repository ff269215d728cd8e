"""Extension objects, created unbound (no work at import time) and bound in create_app."""
from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_wtf import CSRFProtect

from .ratelimit import LOOKUP_LIMIT, client_key, reference_key

babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=True)


@limiter.request_filter
def _limits_off_for_this_app() -> bool:
    """An app configured with RATELIMIT_ENABLED=false is never limited, whatever other apps of the
    process say (tests run several apps, and a live portal, in one process)."""
    return not current_app.config.get("PORTAL_RATELIMIT_ENABLED", True)


def code_guess_limits(view):
    """One budget for guessing access codes, whichever door is used (API lookup, cancel, reschedule,
    the manage and case-check forms): per client and, across clients, per reference or case number."""
    view = limiter.shared_limit(LOOKUP_LIMIT, scope="code-guess-client", methods=["POST"])(view)
    return limiter.shared_limit(LOOKUP_LIMIT, scope="code-guess-reference", key_func=reference_key,
                                methods=["POST"])(view)
