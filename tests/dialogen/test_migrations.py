"""The migrations are one straight line and build exactly the schema the code declares, on both
SQLite and PostgreSQL — so `dialoog serve` on an existing database never meets a missing column."""

from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import dialogen.store
from dialogen.store.database import MIGRATIONS, Database


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
