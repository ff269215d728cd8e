"""Rasa's shared state switch: which settings select it, the values endpoints-shared.yml receives, that
Rasa itself builds its Redis lock store and PostgreSQL tracker store (creating `<db>_rasa`) from them,
and that the portal's retention purge finds the same database."""
from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.rasa_ext import shared_state
from portal.chat.tracker_purge import shared_tracker_url
from tests.helpers.live_stack import ROOT

pytestmark = pytest.mark.slow

PG = "postgresql://goc:p%40ss@db.internal:6432/goc_portal?sslmode=require"


def test_shared_only_with_postgresql_and_redis():
    assert shared_state.is_shared({"DATABASE_URL": PG, "REDIS_URL": "redis://r:6379/2"})
    assert shared_state.is_shared({"DATABASE_URL": "postgresql+psycopg://u@h/db", "REDIS_URL": "redis://r"})
    assert not shared_state.is_shared({"DATABASE_URL": PG, "REDIS_URL": ""})
    assert not shared_state.is_shared({"DATABASE_URL": "sqlite:///instance/portal.sqlite3", "REDIS_URL": "redis://r"})
    assert not shared_state.is_shared({})


def test_endpoint_values_come_from_the_two_urls():
    env = shared_state.endpoint_env({"DATABASE_URL": PG, "REDIS_URL": "redis://:secret@cache.internal:6380/3"})
    assert env == {
        "RASA_TRACKER_DB": "goc_portal_rasa", "RASA_TRACKER_LOGIN_DB": "goc_portal",
        "RASA_TRACKER_HOST": "db.internal", "RASA_TRACKER_PORT": "6432", "RASA_TRACKER_USER": "goc",
        "RASA_TRACKER_PASSWORD": "p@ss", "RASA_LOCK_HOST": "cache.internal", "RASA_LOCK_PORT": "6380",
        "RASA_LOCK_DB": "3", "RASA_LOCK_PASSWORD": "secret", "RASA_LOCK_SSL": "", "RASA_LOCK_PREFIX": "rasa",
        "PGSSLMODE": "require"}
    assert shared_state.endpoint_env({"DATABASE_URL": PG, "REDIS_URL": "rediss://cache:6380/0"})["RASA_LOCK_SSL"] == "true"


@pytest.mark.parametrize("database,redis_url,problem", [
    ("postgresql://u@h/Goc-Portal", "redis://r/0", "lower-case"),
    ("postgresql://u@h/", "redis://r/0", "cannot carry"),
    (PG, "unix:///run/redis.sock", "redis:// or rediss://"),
    (PG, "redis://r/zero", "must be a number"),
])
def test_unusable_settings_are_refused_with_the_reason(database, redis_url, problem):
    with pytest.raises(shared_state.SharedStateError, match=problem):
        shared_state.endpoint_env({"DATABASE_URL": database, "REDIS_URL": redis_url})


def test_the_portal_purges_the_database_the_bot_uses():
    derived = make_url(shared_tracker_url("postgresql+psycopg://goc:pw@h:5432/goc_portal", "redis://r/1"))
    assert derived.database == shared_state.tracker_database(PG) == "goc_portal_rasa"
    assert shared_tracker_url("postgresql+psycopg://goc:pw@h/goc_portal", "") is None
    assert shared_tracker_url("sqlite:////tmp/portal.sqlite3", "redis://r/1") is None


def test_the_script_prints_shell_assignments(tmp_path):
    env = {"DATABASE_URL": "postgresql://goc:it's@h/goc", "REDIS_URL": "redis://r:6379/4", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "rasa_ext.shared_state"],
                          cwd=ROOT / "bot", env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(["bash", "-c", done.stdout + '\necho "$RASA_TRACKER_PASSWORD|$RASA_LOCK_DB"'],
                           capture_output=True, text=True, timeout=10)
    assert shown.stdout.strip() == "it's|4"
    refused = subprocess.run([str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "rasa_ext.shared_state"],
                             cwd=ROOT / "bot", env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "needs DATABASE_URL" in refused.stderr


RASA_BUILDS_STORES = """
import json, os, sys
sys.path.insert(0, ".")
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.utils.endpoints import read_endpoint_config
locks = LockStore.create(read_endpoint_config("endpoints-shared.yml", "lock_store"))
tracker = TrackerStore.create(read_endpoint_config("endpoints-shared.yml", "tracker_store"))
print(json.dumps({"locks": type(locks).__name__, "prefix": locks.key_prefix,
                  "redis_db": locks.red.connection_pool.connection_kwargs["db"],
                  "tls": "SSL" in locks.red.connection_pool.connection_class.__name__,
                  "tracker": type(tracker).__name__, "dialect": tracker.engine.dialect.name,
                  "database": tracker.engine.url.database}))
"""


def test_rasa_builds_its_redis_lock_store_and_postgresql_tracker(pg_database_url, tmp_path):
    """Rasa's own factories read endpoints-shared.yml: RedisLockStore, and the tracker store on PostgreSQL in
    `<db>_rasa`, which it creates (and a second start finds)."""
    url = make_url(pg_database_url)
    tracker_db = url.database + "_rasa"
    try:
        # twice: the second start finds the database and its tables; the second with TLS to Redis
        for redis_url, tls in (("redis://127.0.0.1:6379/7", False), ("rediss://127.0.0.1:6379/7", True)):
            env = {"DATABASE_URL": pg_database_url, "REDIS_URL": redis_url, "PATH": "/usr/bin:/bin"}
            exports = subprocess.run([str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "rasa_ext.shared_state"],
                                     cwd=ROOT / "bot", env=env, capture_output=True, text=True, timeout=60, check=True)
            done = subprocess.run(["bash", "-c", exports.stdout + "\nexec ../.venv-rasa/bin/python -c \"$0\"",
                                   RASA_BUILDS_STORES], cwd=ROOT / "bot", capture_output=True, text=True, timeout=300,
                                  env={**env, "ACTION_SERVER_URL": "http://127.0.0.1:9/webhook",
                                       "TRACKER_ENCRYPTION_KEY": "t" * 64, "RASA_TELEMETRY_ENABLED": "false"})
            assert done.returncode == 0, done.stderr[-3000:]
            built = json.loads(done.stdout.strip().splitlines()[-1])
            assert built == {"locks": "RedisLockStore", "prefix": "rasa:lock:", "redis_db": 7, "tls": tls,
                             "tracker": "WalSQLTrackerStore", "dialect": "postgresql", "database": tracker_db}
        engine = create_engine(url.set(database=tracker_db))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0
        engine.dispose()
    finally:
        admin = create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{tracker_db}" WITH (FORCE)'))
        admin.dispose()


def test_purge_deletes_old_tracker_events_on_postgresql(make_app, pg_database_url):
    url = make_url(pg_database_url)
    tracker_db = url.database + "_rasa"
    admin = create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{tracker_db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{tracker_db}"'))
    tracker = create_engine(url.set(database=tracker_db))
    now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    try:
        with tracker.begin() as conn:
            conn.execute(text("CREATE TABLE events (id serial PRIMARY KEY, sender_id varchar(255), "
                              "type_name varchar(255), timestamp double precision, data text)"))
            for sender, age in (("old", 200), ("recent", 10)):
                conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, '')"),
                             {"s": sender, "t": (now - timedelta(days=age)).timestamp()})
        app = make_app(DATABASE_URL=pg_database_url, REDIS_URL="redis://127.0.0.1:6379/7")
        from portal.chat.tracker_purge import purge_rasa_tracker
        with app.app_context():
            assert purge_rasa_tracker((now - timedelta(days=180)).replace(tzinfo=None)) == 1
        with tracker.connect() as conn:
            assert [r[0] for r in conn.execute(text("SELECT sender_id FROM events"))] == ["recent"]
    finally:
        tracker.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{tracker_db}" WITH (FORCE)'))
        admin.dispose()
