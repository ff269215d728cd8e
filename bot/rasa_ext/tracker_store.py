"""Rasa's SQL tracker store with SQLite in WAL mode and synchronous=NORMAL, on its own engine only.

Why: with SQLite's defaults every tracker commit waits for an fsync (py-spy: ~27% of Rasa's time
during chat turns). WAL + synchronous=NORMAL loses nothing when the process crashes; a power cut may
lose the last turns of a conversation, which the user simply repeats. The pragmas are set by a
"connect" listener on this store's engine, so no other SQLAlchemy engine in the process changes,
and only for the sqlite dialect: any other dialect (e.g. postgresql) behaves exactly as
`SQLTrackerStore`. RASA_SPEEDUPS=0 leaves SQLite at its defaults too.

Named in bot/endpoints.yml as `type: rasa_ext.tracker_store.WalSQLTrackerStore`; Rasa passes the
file's keys (dialect, db, ...) to the constructor.
"""
from __future__ import annotations

import os
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event


def set_wal_pragmas(dbapi_connection, _connection_record) -> None:
    """SQLAlchemy "connect" listener: WAL + synchronous=NORMAL on a new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class WalSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore`; for SQLite, every connection of this store's engine uses WAL + NORMAL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wal = self.engine.dialect.name == "sqlite" and os.environ.get("RASA_SPEEDUPS", "1") != "0"
        if self.wal:
            event.listen(self.engine, "connect", set_wal_pragmas)
            # connections opened while the tables were created predate the listener: drop them
            self.engine.dispose()
