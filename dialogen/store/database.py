"""The database: engine set-up for SQLite (default) and PostgreSQL, migrations, units of work."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x6469616C6F6F6D  # "dialoom": the same number in every replica of this bot
_READ_ONLY = "dialoog_read_only"  # execution option of Database.read() connections


class Database:
    """One per process. ``unit_of_work()`` is the only way code changes data: one commit per
    event."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # SQLite has one writer at a time. Threads of this process queue for it here rather than
        # in SQLite's busy handler, which sleeps in growing steps (up to 100 ms) and so leaves the
        # database idle while writers wait — under load that cost more than the work itself.
        # Re-entrant, so a nested unit of work behaves as it did without the lock.
        self._writer: AbstractContextManager[object] = (
            threading.RLock() if self.is_sqlite else nullcontext()
        )
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, echo)
        else:
            self.engine = create_engine(
                url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10
            )
        self._reader = self.engine.execution_options(**{_READ_ONLY: True})

    def migrate(self) -> None:
        """Bring the schema to the newest migration (safe to call on every start).

        On PostgreSQL replicas that start together migrate one at a time: the first takes a
        transaction-level advisory lock, the others wait for it, then find the schema at head."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            if not self.is_sqlite:
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.

        On SQLite the transaction starts with ``BEGIN IMMEDIATE`` (one writer at a time, no
        deadlocking lock upgrades), after the process' own writer lock; on PostgreSQL callers lock
        rows with ``SELECT … FOR UPDATE``.
        """
        with self._writer, Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for look-ups that change nothing (Core statements, no ORM session). On
        SQLite it neither queues for the writer lock nor takes SQLite's write lock (a plain
        deferred ``BEGIN``): in WAL mode it reads the last committed state while a writer works."""
        with self._reader.connect() as connection, connection.begin():
            yield connection

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - readiness probe reports, never raises
            log.warning("database ping failed", exc_info=True)
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str, echo: bool) -> Engine:
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" hook emit BEGIN itself
        cursor = dbapi_connection.cursor()
        if make_url(url).database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA secure_delete=ON")  # erased identities are overwritten, not freed
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def connection_of(db: Session | Connection) -> Connection:
    """A read's connection: a unit of work's session, or a ``Database.read()`` connection."""
    return db.connection() if isinstance(db, Session) else db
