"""Alembic environment: the metadata of every feature's models."""
from __future__ import annotations

import importlib

from alembic import context
from sqlalchemy import engine_from_config, pool

from portal.db import Base

# Every module that defines models: import it so its tables join Base.metadata.
MODEL_MODULES: list[str] = ["portal.audit", "portal.sessions", "portal.staff.auth.models", "portal.appointments.models",
                             "portal.cases.models", "portal.chat.models", "portal.staff.suggest.models",
                             "portal.staff.queue.models"]
for name in MODEL_MODULES:
    importlib.import_module(name)

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section, {}),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
