"""Migrate and dispose test apps."""
from __future__ import annotations


def migrate(app) -> None:
    from portal.migrate import upgrade_database
    with app.app_context():
        upgrade_database()


def dispose(app) -> None:
    engine = app.extensions.get("db_engine")
    if engine is not None:
        engine.dispose()
