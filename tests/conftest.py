"""Shared fixtures: app factory on a temporary instance, clients, and the test database URL.

- `make_app(**overrides)`: a testing app on a temp instance folder (SQLite unless DATABASE_URL given).
- `app` / `client`: a migrated app on SQLite (fast; for most tests): a copy of a file migrated once
  per test process (`migrated_sqlite`).
- `database_url`: parametrised over SQLite and PostgreSQL (postgresql://postgres@127.0.0.1:5432/test
  server, or TEST_PG_URL); the PostgreSQL database `goc_test_<random>` is created once per session
  and dropped at the end; tables are emptied after each test.
- `db_app` / `db_client`: a migrated app on `database_url` (tests that must hold on both databases).
- `live_stack`: the real chat stack (tests/helpers/live_stack.py), one per session, for `live` tests.
"""
from __future__ import annotations

import itertools
import os
import secrets
import shutil

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from portal import create_app
from tests.helpers.app import dispose, migrate
from tests.helpers import route_builders

route_builders.install()       # URL rule builders compiled once per process, not per app (about 25 ms an app)

# the cheapest Argon2 parameters for staff passwords (portal/staff/auth/passwords.py): the suite
# hashes hundreds of test passwords, at about 0.2 s each with the real ones
os.environ.setdefault("STAFF_PASSWORD_HASH", "fast")
PG_SERVER_URL = os.environ.get("TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
# TEST_SHIFT_CLOCK_DAYS=366 make test: the whole suite with the clock a year ahead (no test may
# depend on today's date); the Python clock of the test process moves, and keeps ticking.
SHIFT_CLOCK_DAYS = int(os.environ.get("TEST_SHIFT_CLOCK_DAYS", "0") or 0)


def pytest_configure(config):
    if SHIFT_CLOCK_DAYS:
        from datetime import datetime, timedelta, timezone

        import time_machine
        traveller = time_machine.travel(datetime.now(timezone.utc) + timedelta(days=SHIFT_CLOCK_DAYS), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_collection_modifyitems(config, items):
    """Tests that run on PostgreSQL carry the `postgres` marker (deselect with -m "not postgres"), and tests
    that drive chromium the `browser` marker.
    `slow` tests (tens of seconds each) run first: xdist hands the first tests out one per worker, so
    they spread over the workers instead of ending the run on one of them."""
    for item in items:
        spec = getattr(item, "callspec", None)
        if "pg_database_url" in item.fixturenames or (spec and spec.params.get("database_url") == "postgresql"):
            item.add_marker(pytest.mark.postgres)
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)     # stable: modules stay together


def pytest_report_header(config):
    return f"clock shifted by {SHIFT_CLOCK_DAYS} days" if SHIFT_CLOCK_DAYS else None


@pytest.fixture()
def make_app(tmp_path):
    """Factory: `make_app(**config_overrides)` -> app (not migrated); engines are disposed after the test."""
    apps = []

    def factory(**overrides):
        config = {"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "RATELIMIT_ENABLED": False,
                  "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "WTF_CSRF_ENABLED": False}
        config.update(overrides)
        app = create_app(config)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        dispose(app)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file migrated to head once per test process; tests start from a copy of it."""
    folder = tmp_path_factory.mktemp("migrated")
    template = folder / "db.sqlite3"
    application = create_app({"ENV": "testing", "INSTANCE_PATH": str(folder), "DATABASE_URL": f"sqlite:///{template}"})
    migrate(application)
    dispose(application)            # the last connection's close folds the WAL into the file
    assert not (folder / "db.sqlite3-wal").exists() or not (folder / "db.sqlite3-wal").stat().st_size
    return template


def fresh_sqlite(template, path) -> str:
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture()
def make_migrated_app(make_app, migrated_sqlite, tmp_path):
    """Factory: `make_migrated_app(**config_overrides)` -> an app on a fresh copy of the migrated SQLite
    template (no migration run per test)."""
    made = itertools.count()

    def factory(**overrides):
        path = tmp_path / ("db.sqlite3" if not (n := next(made)) else f"db-{n}.sqlite3")
        return make_app(**{"DATABASE_URL": fresh_sqlite(migrated_sqlite, path), **overrides})
    return factory


@pytest.fixture()
def app(make_migrated_app):
    """A migrated app on a fresh SQLite database (a copy of the migrated template)."""
    return make_migrated_app()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh PostgreSQL database for this test session (dropped at the end)."""
    name = f"goc_test_{secrets.token_hex(4)}"
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {make_url(PG_SERVER_URL).render_as_string()} "
                    f"({str(exc).splitlines()[0]}). Tests marked `postgres` need it: start PostgreSQL, set "
                    "TEST_PG_URL, or leave them out with -m 'not postgres'.", pytrace=False)
    url = make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_MIGRATED: set[str] = set()


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        names = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
        if names:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """SQLite file (already migrated) or the session's PostgreSQL database (emptied after the test)."""
    if request.param == "sqlite":
        yield fresh_sqlite(request.getfixturevalue("migrated_sqlite"), tmp_path / "param.sqlite3")
        return
    url = request.getfixturevalue("pg_database_url")
    yield url
    _empty_tables(url)


@pytest.fixture()
def db_app(make_app, database_url):
    """A migrated app on SQLite and on PostgreSQL (parametrised)."""
    application = make_app(DATABASE_URL=database_url)
    if database_url not in _MIGRATED and not database_url.startswith("sqlite"):   # SQLite: a migrated copy
        migrate(application)
        _MIGRATED.add(database_url)         # emptied after each test, never dropped: migrate once
    yield application
    dispose(application)


@pytest.fixture()
def db_client(db_app):
    return db_app.test_client()


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory):
    """Portal + action server + Rasa server as real processes, shared by every live test (tests/chat,
    tests/bot): started on first use (Rasa needs ~40 s to load), stopped at the end of the session.
    Tests must not stop its processes; one that needs Rasa down sets up its own unreachable RASA_URL."""
    from tests.helpers.live_stack import LiveStack
    stack = LiveStack(tmp_path_factory.mktemp("live-stack"))
    try:
        yield stack.start()
    finally:
        stack.stop()
