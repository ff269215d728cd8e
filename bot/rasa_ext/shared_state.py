"""Where Rasa keeps what its copies share, when there are several: `python -m rasa_ext.shared_state`.

With DATABASE_URL on PostgreSQL and REDIS_URL set, every Rasa copy uses
- the SQL tracker store on PostgreSQL, in its own database next to the portal's: `<portal db>_rasa`,
  created by Rasa's SQLTrackerStore on first start if missing (`login_db`: it connects to the
  portal's database first; the user needs CREATEDB, or the database is created beforehand);
- Rasa Open Source's RedisLockStore on REDIS_URL's host, port and database number (keys `rasa:lock:*`),
  so two messages of one conversation are handled one after the other whichever copy gets them.
bot/serve.sh then starts Rasa with endpoints-shared.yml and evaluates what this module prints: the
shell assignments that file reads. Without those settings (`make run`) Rasa keeps its SQLite file
under instance/ and in-memory locks (endpoints.yml); this module is not run.

Plain Python, no Rasa import (fast, testable in either venv). The portal derives the same database
name for its retention purge (portal/chat/tracker_purge.py); a test keeps the two in step.
"""
from __future__ import annotations

import re
import shlex
import sys
from urllib.parse import parse_qs, unquote, urlsplit

TRACKER_DB_SUFFIX = "_rasa"
LOCK_KEY_PREFIX = "rasa"        # RedisLockStore prefixes it to its "lock:" keys (alphanumeric only)
# libpq reads these from the environment: query options of DATABASE_URL that Rasa's YAML cannot pass
_LIBPQ_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
              "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME"}
# Rasa creates the database with an unquoted CREATE DATABASE and looks it up by exact name
_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,57}$")


class SharedStateError(ValueError):
    """The settings name a shared state Rasa cannot use."""


def is_shared(environ) -> bool:
    """DATABASE_URL is PostgreSQL and REDIS_URL is set."""
    return urlsplit(environ.get("DATABASE_URL") or "").scheme.split("+")[0] == "postgresql" \
        and bool(environ.get("REDIS_URL"))


def tracker_database(database_url: str) -> str:
    """The tracker's database: the portal's database name + "_rasa"."""
    name = unquote(urlsplit(database_url).path.lstrip("/"))
    tracker = name + TRACKER_DB_SUFFIX
    if not name or not _SAFE_NAME.match(tracker):
        raise SharedStateError(f"the portal's database name {name!r} cannot carry Rasa's tracker database "
                               f"({tracker!r}): use lower-case letters, digits and _")
    return tracker


def endpoint_env(environ) -> dict[str, str]:
    """The variables endpoints-shared.yml reads, from DATABASE_URL and REDIS_URL."""
    database, redis = urlsplit(environ["DATABASE_URL"]), urlsplit(environ["REDIS_URL"])
    if redis.scheme not in ("redis", "rediss"):
        raise SharedStateError(f"REDIS_URL: Rasa's lock store takes redis:// or rediss:// (TLS), not {redis.scheme}://")
    db_number = redis.path.lstrip("/") or "0"
    if not db_number.isdigit():
        raise SharedStateError(f"REDIS_URL: the database must be a number, not {db_number!r}")
    env = {
        "RASA_TRACKER_DB": tracker_database(environ["DATABASE_URL"]),
        "RASA_TRACKER_LOGIN_DB": unquote(database.path.lstrip("/")),
        "RASA_TRACKER_HOST": database.hostname or "127.0.0.1",
        "RASA_TRACKER_PORT": str(database.port or 5432),
        "RASA_TRACKER_USER": unquote(database.username or ""),
        "RASA_TRACKER_PASSWORD": unquote(database.password or ""),
        "RASA_LOCK_HOST": redis.hostname or "127.0.0.1",
        "RASA_LOCK_PORT": str(redis.port or 6379),
        "RASA_LOCK_DB": db_number,
        "RASA_LOCK_PASSWORD": unquote(redis.password or ""),
        # Rasa hands the expanded text to redis-py as `ssl`: any non-empty text is true, "" is false
        "RASA_LOCK_SSL": "true" if redis.scheme == "rediss" else "",
        "RASA_LOCK_PREFIX": LOCK_KEY_PREFIX,
    }
    for option, values in parse_qs(database.query).items():
        if option in _LIBPQ_ENV and values:
            env[_LIBPQ_ENV[option]] = values[-1]
    return env


def main(environ) -> int:
    if not is_shared(environ):
        print("shared_state: needs DATABASE_URL=postgresql://... and REDIS_URL", file=sys.stderr)
        return 2
    try:
        env = endpoint_env(environ)
    except SharedStateError as exc:
        print(f"shared_state: {exc}", file=sys.stderr)
        return 2
    for name, value in env.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    import os
    sys.exit(main(os.environ))
