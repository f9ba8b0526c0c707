"""Alembic environment: always run with a connection handed over by inspector_app.hq.migrate."""

from __future__ import annotations

from alembic import context

from inspector_app.hq.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through inspector_app.hq.migrate, not the alembic CLI")

# render_as_batch: SQLite cannot ALTER most things, so column changes copy the table.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
