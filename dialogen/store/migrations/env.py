"""Alembic environment: runs on the connection that ``Database.migrate`` hands over."""

from alembic import context
from sqlmodel import SQLModel

from dialogen.store import audit, outbox, tables  # noqa: F401 - registers the tables on SQLModel.metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via Database.migrate
    raise RuntimeError("run migrations through dialogen.store.database.Database.migrate()")

context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
