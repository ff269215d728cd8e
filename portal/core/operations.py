"""Readiness: checks of the parts the portal depends on (GET /readyz; /healthz is liveness only)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from .. import db
from ..knowledge_access import knowledge_base

# name -> callable returning (ok: bool, required: bool, detail: dict). Features add their own.
HEALTH_CHECKS: dict = {}


def health_check(name: str):
    def register(fn):
        HEALTH_CHECKS[name] = fn
        return fn
    return register


@health_check("database")
def _database():
    try:
        with db.engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True, True, {}
    except Exception as exc:  # noqa: BLE001 - any failure means down
        current_app.logger.warning("database health check failed: %s", type(exc).__name__)
        return False, True, {"error": type(exc).__name__}


@health_check("knowledge")
def _knowledge():
    kb = knowledge_base()
    return bool(kb.services) and not kb.errors, True, {"services": len(kb.services), "hash": kb.content_hash}


def readiness() -> tuple[str, dict]:
    """("ok" | "down", components): down when a required part fails (the database, the content, the
    search index not yet loaded in this process)."""
    components, ok = {}, True
    for name, check in HEALTH_CHECKS.items():
        good, required, detail = check()
        components[name] = {"status": "ok" if good else "down", **detail}
        if required and not good:
            ok = False
    return ("ok" if ok else "down"), components
