"""Retention for Rasa's tracker events, wherever bot/serve.sh put them.

- One machine (`make run`): the SQLite file instance/rasa_tracker.sqlite3.
- Several copies (DATABASE_URL on PostgreSQL and REDIS_URL set): the PostgreSQL database
  `<portal db>_rasa` next to the portal's (bot/rasa_ext/shared_state.py names it the same way; a test
  keeps the two in step).
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

TRACKER_DB_SUFFIX = "_rasa"


def shared_tracker_url(database_url: str, redis_url: str) -> str | None:
    """The URL of Rasa's tracker database when Rasa's state is shared, else None."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql" or not redis_url:
        return None
    return url.set(database=f"{url.database}{TRACKER_DB_SUFFIX}").render_as_string(hide_password=False)


def purge_rasa_tracker(cutoff: datetime) -> int:
    """Delete Rasa's tracker events older than `cutoff`; returns how many."""
    stamp = cutoff.replace(tzinfo=timezone.utc).timestamp()
    shared = shared_tracker_url(current_app.config["DATABASE_URL"], current_app.config["REDIS_URL"])
    if shared:
        return _purge_postgresql(shared, stamp)
    return _purge_sqlite(Path(current_app.instance_path) / "rasa_tracker.sqlite3", stamp)


def _purge_postgresql(url: str, stamp: float) -> int:
    engine = create_engine(url, hide_parameters=True, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            return conn.execute(text("DELETE FROM events WHERE timestamp < :stamp"), {"stamp": stamp}).rowcount
    except (OperationalError, ProgrammingError) as exc:   # Rasa never started here: no database or table yet
        current_app.logger.warning("rasa tracker not purged: %s", type(exc).__name__)
        return 0
    finally:
        engine.dispose()


def _purge_sqlite(path: Path, stamp: float) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with sqlite3.connect(path) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='events'").fetchone():
            return 0
        return conn.execute("DELETE FROM events WHERE timestamp < ?", (stamp,)).rowcount
