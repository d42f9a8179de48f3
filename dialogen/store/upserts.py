"""``INSERT … ON CONFLICT`` for both backends: SQLite and PostgreSQL spell it the same way, but
SQLAlchemy builds it from each dialect's own ``insert``.

These statements run on the session's connection, past the ORM: no objects to build, one round
trip. They are on the hot path of every inbound event (``bench/mail_ingest.py``), so each
statement is built once and reused: SQLAlchemy then finds its compiled form by a cache key it
computed once, which costs a quarter of building the statement anew for every event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

__all__ = ["insert_new", "insert_or_update", "connection"]

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_new(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    *,
    unique: Sequence[str],
    computed: tuple[tuple[str, Any], ...] = (),
) -> bool:
    """Insert ``values`` unless a row with the same ``unique`` columns exists; True if inserted.
    ``computed`` are (column, SQL expression) pairs the database works out in the same statement;
    pass module-level constants (they are part of the cached statement).

    Concurrent inserts of the same key are safe: the loser inserts nothing (PostgreSQL waits for
    the winner's transaction), so no savepoint is needed.
    """
    link = connection(session)
    statement = _insert_new(link.dialect.name, table, tuple(unique), computed)
    return link.execute(statement, dict(values)).rowcount == 1


def insert_or_update(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    unique: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert each of ``rows``; where one with the same ``unique`` columns exists, set its
    ``update`` columns to the new values instead. All rows share one set of keys, and no two
    rows may share their ``unique`` values (one statement may not touch a row twice)."""
    if not rows:
        return
    link = connection(session)
    statement = _insert_or_update(link.dialect.name, table, tuple(unique), tuple(update))
    link.execute(statement, [dict(row) for row in rows] if len(rows) > 1 else dict(rows[0]))


def connection(session: Session) -> Connection:
    """The session's connection, after writing out pending ORM objects a new row may refer to."""
    session.flush()  # nothing to do, and cheap, when nothing is pending
    return session.connection()


@lru_cache(maxsize=64)
def _insert_new(
    dialect: str, table: Table, unique: tuple[str, ...], computed: tuple[tuple[str, Any], ...]
) -> Any:
    statement = _insert(dialect, table)
    if computed:
        statement = statement.values(dict(computed))
    # Without ``preserve_rowcount`` psycopg reports -1 for an INSERT once its cursor is closed.
    return statement.on_conflict_do_nothing(index_elements=list(unique)).execution_options(
        preserve_rowcount=True
    )


@lru_cache(maxsize=64)
def _insert_or_update(
    dialect: str, table: Table, unique: tuple[str, ...], update: tuple[str, ...]
) -> Any:
    statement = _insert(dialect, table)
    return statement.on_conflict_do_update(
        index_elements=list(unique), set_={name: statement.excluded[name] for name in update}
    )


def _insert(dialect: str, table: Table) -> Any:
    if dialect not in _INSERTS:
        raise NotImplementedError(f"no upsert for database dialect {dialect!r}")
    return _INSERTS[dialect](table)
