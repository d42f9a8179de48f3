"""Exactly one scheduler: on PostgreSQL the process holding a session-level advisory lock runs it;
on SQLite there is only one process, which always does."""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import Connection, text

from dialogen.store.database import Database

log = logging.getLogger(__name__)

LOCK_KEY = 0x6469616C6F6F67  # "dialoog" in ASCII: the same number in every process of this bot


class SchedulerLock:
    """Held for the life of one dedicated connection; released on :meth:`release` or when that
    connection (or the process) dies, so another replica can take over."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._database.is_sqlite or self._connection is not None

    def try_acquire(self) -> bool:
        if self.held:
            return True
        connection = self._database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            acquired = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
                ).scalar()
            )
        except Exception:
            connection.close()
            raise
        if acquired:
            self._connection = connection
        else:
            connection.close()
        return acquired

    def still_held(self) -> bool:
        """Whether the lock is still this process' — False once its connection dropped (a
        database restart, a network cut, an idle timeout): then another replica may hold it."""
        if self._database.is_sqlite:
            return True
        if self._connection is None:
            return False
        try:
            held = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() "
                    "AND ((classid::bigint << 32) | objid::bigint) = :key"
                ),
                {"key": LOCK_KEY},
            ).scalar()
        except Exception:  # noqa: BLE001 - a dropped connection took the lock with it
            log.warning("scheduler lock connection lost; the lock is no longer held")
            held = 0
        if not held:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None
        return bool(held)

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        except Exception:  # noqa: BLE001 - closing the connection releases it anyway
            log.warning("advisory unlock failed; closing the connection releases the lock")
        finally:
            self._connection.close()
            self._connection = None
