"""The migrations are one straight line and build exactly the schema the code declares, on both
SQLite and PostgreSQL — so `dialoog serve` on an existing database never meets a missing column."""

from __future__ import annotations

import importlib
import pkgutil
import threading

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlmodel import SQLModel

import dialogen.store
from dialogen.store.database import MIGRATIONS, Database
from tests.support.databases import fresh_postgres_database


def _load_all_tables() -> None:
    for module in pkgutil.iter_modules(dialogen.store.__path__):
        importlib.import_module(f"dialogen.store.{module.name}")


def test_migrations_form_a_single_line():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1, (
        f"several heads: {script.get_heads()} — chain the new migration"
    )


def test_migrated_schema_matches_the_tables_in_code(database: Database):
    _load_all_tables()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": lambda obj, name, type_, *_: (
                    not (type_ == "table" and name == "apscheduler_jobs")
                ),
            },
        )
        differences = compare_metadata(context, SQLModel.metadata)
    # Column type spellings can differ per backend; missing/extra tables, columns or indexes cannot.
    structural = [
        d
        for d in differences
        if isinstance(d, tuple)
        and d[0]
        in ("add_table", "remove_table", "add_column", "remove_column", "add_index", "remove_index")
    ]
    assert structural == []


def test_migrating_twice_changes_nothing(database: Database):
    database.migrate()  # already at head from the fixture: a restart must be a no-op
    with database.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads()


def test_replicas_that_start_together_on_postgresql_all_come_up():
    """Two replicas migrate one empty database at the same moment: the second must wait for the
    first (before the lock, it created the same tables and died on a unique violation)."""
    with fresh_postgres_database() as url:
        first, second = Database(url), Database(url)
        second_reached_ddl = threading.Event()
        errors: list[BaseException] = []

        def second_creates(conn, cursor, statement, *_):  # noqa: ANN001
            if statement.lstrip().upper().startswith("CREATE TABLE"):
                second_reached_ddl.set()

        def first_creates(conn, cursor, statement, *_):  # noqa: ANN001
            if statement.lstrip().upper().startswith("CREATE TABLE") and not started.is_set():
                started.set()
                threading.Thread(target=run, args=(second,)).start()
                # continue once the second replica either waits for the lock or creates tables
                while not (second_reached_ddl.is_set() or _waiting_on_advisory_lock(url)):
                    second_reached_ddl.wait(0.01)

        started = threading.Event()
        done: list[Database] = []

        def run(database: Database) -> None:
            try:
                database.migrate()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            done.append(database)

        event.listen(first.engine, "before_cursor_execute", first_creates)
        event.listen(second.engine, "before_cursor_execute", second_creates)
        run(first)
        while len(done) < 2:
            second_reached_ddl.wait(0.01)
        first.dispose()
        second.dispose()
        assert errors == []


def _waiting_on_advisory_lock(url: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as connection:
        waiting = connection.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        ).scalar()
    engine.dispose()
    return bool(waiting)
