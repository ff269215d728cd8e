"""Extension objects, created unbound (no work at import time) and bound in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_wtf import CSRFProtect

from .ratelimit import client_key

babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=True)
