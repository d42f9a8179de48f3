"""Shared fixtures: an injected clock, real databases (SQLite file and PostgreSQL), the service,
the Bot Connector stub and the bot's HTTP app. The suite refuses outbound network calls to
anything but this machine (see ``_no_outside_network``)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dialogen.dialogue.definition import Dialogue
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.door.service import DialogueService
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.support.clock import FakeClock
from tests.support.connector import ConnectorStub
from tests.support.databases import fresh_postgres_database

AMS = ZoneInfo("Europe/Amsterdam")
SECRET = b"test-pseudonym-secret-0123456789abcdef"


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host outside this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
            if not (host.startswith("127.") or host in ("::1", "localhost")):
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


def make_service(
    database: Database, dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> DialogueService:
    return DialogueService(
        database=database,
        dialogue=dialogue,
        municipalities=registry,
        pseudonym_secret=SECRET,
        clock=clock,
    )


@pytest.fixture
def service(
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
) -> DialogueService:
    return make_service(sqlite_database, real_dialogue, registry, clock)


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStub]:
    stub = await ConnectorStub().start()
    yield stub
    await stub.close()
