"""SQLite writers of one process queue on the database's own lock, not in SQLite's busy handler."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import event, text

from dialogen.store.database import Database

THREADS = 8
UNITS = 25


def test_concurrent_units_of_work_never_meet_a_locked_sqlite_database(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'writers.db'}")
    database.migrate()

    @event.listens_for(database.engine, "connect")
    def _no_waiting(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Without the process lock, any overlap of two BEGIN IMMEDIATEs now fails at once
        # ("database is locked") instead of being hidden by SQLite's busy handler.
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    database.engine.dispose()  # new connections get the listener
    with database.unit_of_work() as session:
        session.execute(text("CREATE TABLE tally (n INTEGER NOT NULL)"))
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def writer() -> None:
        start.wait()
        try:
            for _ in range(UNITS):
                with database.unit_of_work() as session:
                    session.execute(text("INSERT INTO tally (n) VALUES (1)"))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    with database.unit_of_work() as session:
        assert session.execute(text("SELECT count(*) FROM tally")).scalar_one() == THREADS * UNITS
    database.dispose()


def test_a_read_neither_waits_for_a_writer_nor_sees_its_uncommitted_work(tmp_path: Path):
    """The mail poller looks up a reply's participant while a Teams turn may be writing."""
    database = Database(f"sqlite:///{tmp_path / 'reads.db'}")
    database.migrate()
    with database.unit_of_work() as session:
        session.execute(text("CREATE TABLE note (n INTEGER NOT NULL)"))
        session.execute(text("INSERT INTO note (n) VALUES (1)"))
    writing, may_commit = threading.Event(), threading.Event()

    def writer() -> None:
        with database.unit_of_work() as session:
            session.execute(text("INSERT INTO note (n) VALUES (2)"))
            writing.set()
            may_commit.wait(timeout=60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(timeout=60)
        seen: list[int] = []
        reader = threading.Thread(target=lambda: seen.extend(_notes(database)))
        reader.start()
        reader.join(timeout=10)  # a read queued behind the writer would still be waiting here
        assert not reader.is_alive() and seen == [1]
    finally:
        may_commit.set()
        thread.join()
    assert _notes(database) == [1, 2]
    database.dispose()


def _notes(database: Database) -> list[int]:
    with database.read() as connection:
        return list(connection.execute(text("SELECT n FROM note ORDER BY n")).scalars())
