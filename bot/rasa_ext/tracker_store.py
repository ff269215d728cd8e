"""Rasa's SQL tracker store with every event's data encrypted at rest, and SQLite in WAL mode.

Encryption: what people tell the bot (a phone number while booking, a reference and access code to
check an appointment) and what the bot answers (the new access code) live in the tracker's events.
Each event's `data` column is sealed with AES-GCM (the `cryptography` package) before it is written
and opened when it is read, through SQLAlchemy's ORM events on the store's event class; the other
columns (sender id, event type, intent and action names, timestamp) stay clear, so Rasa's queries and
the portal's retention purge keep working. Rows written before encryption (plain JSON) stay readable.
The key comes from TRACKER_ENCRYPTION_KEY (comma-separated: the current key first, then earlier ones
still accepted while rotating) or, when unset, from instance/tracker_key, generated on first use.

WAL: with SQLite's defaults every tracker commit waits for an fsync (py-spy: ~27% of Rasa's time
during chat turns). WAL + synchronous=NORMAL loses nothing when the process crashes; a power cut may
lose the last turns of a conversation, which the user simply repeats. The pragmas are set by a
"connect" listener on this store's engine, so no other SQLAlchemy engine in the process changes,
and only for the sqlite dialect (postgresql behaves as `SQLTrackerStore`, encryption included).
RASA_SPEEDUPS=0 leaves SQLite at its defaults.

Named in bot/endpoints.yml as `type: rasa_ext.tracker_store.WalSQLTrackerStore`; Rasa passes the
file's keys (dialect, db, ...) to the constructor.
"""
from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value

SEALED = "sealed1:"          # prefix of an encrypted `data` value
NONCE_BYTES = 12


def set_wal_pragmas(dbapi_connection, _connection_record) -> None:
    """SQLAlchemy "connect" listener: WAL + synchronous=NORMAL on a new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _instance_key() -> str:
    """instance/tracker_key, created once (written aside, then linked in, like the portal's secrets)."""
    instance = Path(os.environ.get("INSTANCE_PATH") or Path(__file__).resolve().parents[2] / "instance")
    path = instance / "tracker_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        tmp = instance / f".tracker_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:         # another process was first: use its key
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


class TrackerKeyMissing(RuntimeError):
    """An event was sealed with a key that is no longer configured (see SECURITY.md, rotation).
    Not a ValueError: Rasa's session scope reads a ValueError as a missing PostgreSQL schema and exits."""


class EventSealer:
    """Seal and open event data with AES-GCM; the first key seals, every key may open."""

    def __init__(self, secrets_: list[str]) -> None:
        if not secrets_:
            raise ValueError("at least one tracker encryption key is needed")
        self.keys = [AESGCM(hashlib.sha256(b"rasa-tracker-events:" + s.encode()).digest()) for s in secrets_]

    @classmethod
    def from_environment(cls) -> "EventSealer":
        configured = [k.strip() for k in os.environ.get("TRACKER_ENCRYPTION_KEY", "").split(",") if k.strip()]
        return cls(configured or [_instance_key()])

    def seal(self, data: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        return SEALED + base64.b64encode(nonce + self.keys[0].encrypt(nonce, data.encode(), None)).decode()

    def open(self, value: str | None) -> str | None:
        if not value or not value.startswith(SEALED):
            return value                # written before encryption: plain JSON
        raw = base64.b64decode(value[len(SEALED):])
        for key in self.keys:
            try:
                return key.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
            except InvalidTag:
                continue
        raise TrackerKeyMissing("a tracker event was sealed with a key that is no longer configured")


class WalSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose event data is encrypted at rest; for SQLite, WAL + NORMAL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sealer = EventSealer.from_environment()
        self._listen_on_events()
        self.wal = self.engine.dialect.name == "sqlite" and os.environ.get("RASA_SPEEDUPS", "1") != "0"
        if self.wal:
            event.listen(self.engine, "connect", set_wal_pragmas)
            # connections opened while the tables were created predate the listener: drop them
            self.engine.dispose()

    def _listen_on_events(self) -> None:
        mapped, sealer = self.SQLEvent, self.sealer

        def seal_before_insert(_mapper, _connection, row) -> None:
            if row.data is not None and not row.data.startswith(SEALED):
                row.data = sealer.seal(row.data)

        def open_on_load(row, _context) -> None:
            set_committed_value(row, "data", sealer.open(row.data))

        # one store per process; a second store (tests) replaces the listeners of the first
        for name, listener in (("before_insert", seal_before_insert), ("load", open_on_load)):
            for old in getattr(mapped, "_sealing_listeners", {}).get(name, ()):
                if event.contains(mapped, name, old):
                    event.remove(mapped, name, old)
            event.listen(mapped, name, listener)
        mapped._sealing_listeners = {"before_insert": [seal_before_insert], "load": [open_on_load]}
