"""Alembic environment: runs migrations on the engine handed over by store.upgrade()."""

from __future__ import annotations

from alembic import context

from service.store.tables import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
