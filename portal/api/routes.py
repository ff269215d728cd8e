"""JSON API under /api/v1 (features add their endpoints to this blueprint)."""
from __future__ import annotations

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# Endpoint modules register their routes on `bp` when imported.
from . import search  # noqa: E402,F401
