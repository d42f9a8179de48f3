"""Shared fixtures: an injected clock, real databases (SQLite file and PostgreSQL), the door, the
runtime (the composition root, as ``dialoog serve`` builds it), the Bot Connector stub. The suite
refuses outbound network calls to anything but this machine (see ``_no_outside_network``)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot.app import create_app
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from dialogen.contracts import Broadcasting
from dialogen.dialogue.definition import Dialogue
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.door.door import Door
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.support.clock import FakeClock
from tests.support.connector import ConnectorStub
from tests.support.databases import fresh_postgres_database
from tests.support.full_dialogue import Build, Kept

AMS = ZoneInfo("Europe/Amsterdam")
SECRET = b"test-pseudonym-secret-0123456789abcdef"
SEALING = Sealing.derived_from(Pseudonyms(SECRET))
"""The keys a runtime built with ``SECRET`` seals queued payloads, progress and mail with."""


_FULL_DIALOGUE = pytest.StashKey[Build]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """When a collected test needs the full simulated dialogue, start building it now (unless it
    is kept already), in its own process beside the tests that run first."""
    if session.config.option.collectonly:
        return
    if any("full_dialogue" in getattr(item, "fixturenames", ()) for item in session.items):
        build = Build()
        build.start()
        session.config.stash[_FULL_DIALOGUE] = build


def pytest_sessionfinish(session: pytest.Session) -> None:
    build = session.config.stash.get(_FULL_DIALOGUE, None)
    if build is not None:
        build.stop()


@pytest.fixture(scope="session")
def full_dialogue(request: pytest.FixtureRequest) -> Kept:
    """The 3,000-participant dialogue simulated through the door (``tests/support/
    full_dialogue.py``): the kept database file (copy it before writing) and the summary."""
    build = request.config.stash.get(_FULL_DIALOGUE, None) or Build()
    return build.wait()


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host outside this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        inet = self.family in (socket.AF_INET, socket.AF_INET6)
        if (
            inet
            and isinstance(host, str)
            and not (host.startswith("127.") or host in ("::1", "localhost"))
        ):
            raise OSError(f"test tried to reach {host}: only 127.0.0.1 is allowed in tests")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def registry() -> MunicipalityRegistry:
    return MunicipalityRegistry.load()


@pytest.fixture(scope="session")
def real_dialogue() -> Dialogue:
    """The shipped dialogue with its real 2024 calendar."""
    return load_dialogue(default_dialogue_path())


@pytest.fixture
def clock() -> FakeClock:
    """1 October 2024, 10:00 in Amsterdam: Verkennen is open (until 7 October)."""
    return FakeClock(datetime(2024, 10, 1, 10, 0, tzinfo=AMS))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'dialoog.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs against both backends (contract tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'dialoog.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    db = Database(sqlite_url)
    db.migrate()
    yield db
    db.dispose()


def make_door(
    database: Database, dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> Door:
    """The door alone (no facilitation): what participant-side tests talk to."""
    return Door(
        database=database,
        dialogue=dialogue,
        municipalities=registry,
        pseudonyms=Pseudonyms(SECRET),
        clock=clock,
    )


@pytest.fixture
def door(
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
) -> Door:
    return make_door(sqlite_database, real_dialogue, registry, clock)


def test_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test: its own secret, the real 2024 calendar, and nothing running beside the
    endpoints (no outbox sender, scheduler or mail poller) unless the test turns it on."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'dialoog.db'}",
        "pseudonym_secret": SECRET.decode(),
        "pseudonym_secret_file": tmp_path / "secret",
        "demo_calendar": False,
        "mail_transport": "none",
        "outbox_enabled": False,
        "scheduler_enabled": False,
    }
    values.update(overrides)
    return Settings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined] - a helper, not a test


def make_runtime(
    settings: Settings,
    *,
    database: Database,
    clock: FakeClock,
    dialogue: Dialogue | None = None,
    registry: MunicipalityRegistry | None = None,
    broadcasting: Broadcasting | None = None,
) -> Runtime:
    return build_runtime(
        settings,
        clock=clock,
        database=database,
        dialogue=dialogue,
        municipalities=registry,
        broadcasting=broadcasting,
    )


@pytest.fixture
def runtime(
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
) -> Runtime:
    """The runtime on the test's SQLite database, the real calendar and the fake clock, with
    nothing running beside the endpoints (see :func:`test_settings`)."""
    return make_runtime(
        test_settings(tmp_path),
        database=sqlite_database,
        clock=clock,
        dialogue=real_dialogue,
        registry=registry,
    )


MakeApp = Callable[..., web.Application]


@pytest.fixture
def make_app(
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
) -> MakeApp:
    """``create_app`` for a test's own settings, on the test's database and clock. Nothing runs
    beside the endpoints (no sender, scheduler or mail poller), as a test of the endpoints wants."""

    def make(settings: Settings, **parts: Any) -> web.Application:
        quiet = {"mail_transport": "none", "outbox_enabled": False, "scheduler_enabled": False}
        runtime = make_runtime(
            settings.model_copy(update=quiet),
            database=sqlite_database,
            clock=clock,
            dialogue=real_dialogue,
            registry=registry,
            **parts,
        )
        return create_app(runtime)

    return make


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStub]:
    stub = await ConnectorStub().start()
    yield stub
    await stub.close()
