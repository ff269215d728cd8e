"""SQLAlchemy 2 engine and the request's session.

Who owns the transaction: the operation. A route parses input and calls one operation; the
operation begins its write (`begin_write`), checks the role, changes rows, adds its audit row
(`portal.audit.record`) and commits. Reads use the same lazily created session, which is rolled
back on error and closed when the request ends.
"""
from __future__ import annotations

import threading

from flask import current_app, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    # hide_parameters: an error's message (and so a logged trace) never shows the row's personal data
    kwargs: dict = {"future": True, "pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    elif url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": 5}    # an unreachable server fails readiness, not hangs it
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # let SQLAlchemy issue BEGIN itself so BEGIN IMMEDIATE can be used for writes
            dbapi_conn.isolation_level = None

        # Writers of one process queue on a lock instead of SQLite's sleep-and-retry busy handler
        # (many threads would otherwise sleep in growing steps); SQLite's own lock still decides.
        write_lock = threading.Lock()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            write = conn.info.get("write") or conn.get_execution_options().get("write")
            if write and write_lock.acquire(timeout=30):
                conn.info["_holds_write_lock"] = True
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
            except Exception:
                _release_write_lock(conn)
                raise

        def _release_write_lock(conn):
            if conn.info.pop("_holds_write_lock", False):
                write_lock.release()

        event.listen(engine, "commit", _release_write_lock)
        event.listen(engine, "rollback", _release_write_lock)
    return engine


def init_app(app) -> None:
    app.extensions["db_engine"] = None
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    app = current_app._get_current_object()
    eng = app.extensions.get("db_engine")
    if eng is None:
        eng = make_engine(app.config["DATABASE_URL"])
        app.extensions["db_engine"] = eng
        app.extensions["db_sessionmaker"] = sessionmaker(bind=eng, expire_on_commit=False)
    return eng


def session() -> Session:
    """The request's session (created lazily)."""
    if "db_session" not in g:
        engine()
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def begin_write(sess: Session | None = None) -> Session:
    """End the session's read transaction (committing pending changes) and begin a write transaction.

    On SQLite the write transaction starts with BEGIN IMMEDIATE, so writers queue on the database
    lock instead of failing with "database is locked" when they upgrade a read transaction.
    """
    sess = sess or session()
    if sess.in_transaction():
        sess.commit()
    sess.connection(execution_options={"write": True})
    return sess


def _close_session(exc) -> None:
    sess = g.pop("db_session", None)
    if sess is not None:
        if exc is not None:
            sess.rollback()
        sess.close()
