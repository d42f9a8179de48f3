"""``dialoog serve`` drains the outbox beside the bot; ``dialoog outbox status`` shows the queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import create_app
from bot.cli.command import main
from bot.settings import Settings
from dialogen.store.database import Database
from tests.conftest import make_runtime, test_settings
from tests.planning.conftest import queue
from tests.support.limited_connector import LimitedConnector
from tests.support.teams_people import add_teams_participant, conversation_of


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """What ``dialoog serve`` runs with: the outbox sender on (its default)."""
    assert Settings.model_fields["outbox_enabled"].default is True
    return test_settings(tmp_path, outbox_enabled=True, outbox_poll_seconds=0.05)


async def test_serve_sends_what_is_queued_and_stops_cleanly(
    aiohttp_client, settings: Settings, sqlite_database: Database, clock
) -> None:
    teams = await LimitedConnector().start()
    try:
        anna = add_teams_participant(sqlite_database, "anna", teams.url, clock())
        queue(
            sqlite_database,
            anna,
            "prompt:anna:verkennen",
            "De stap Verkennen is open",
            now=clock(),
        )
        runtime = make_runtime(settings, database=sqlite_database, clock=clock)
        client = await aiohttp_client(create_app(runtime))
        await teams.wait_for_arrivals(1, timeout=20)
        queue(sqlite_database, anna, "nudge:anna:verkennen:7d", "Nog 7 dagen", now=clock())
        await teams.wait_for_arrivals(2, timeout=20)
        await client.close()  # the sender stops with the app

        assert teams.texts_for(conversation_of("anna")) == [
            "De stap Verkennen is open",
            "Nog 7 dagen",
        ]
    finally:
        await teams.close()


async def test_the_sender_can_be_switched_off(
    aiohttp_client, settings: Settings, sqlite_database: Database, clock
) -> None:
    teams = await LimitedConnector().start()
    try:
        anna = add_teams_participant(sqlite_database, "anna", teams.url, clock())
        queue(
            sqlite_database,
            anna,
            "prompt:anna:verkennen",
            "De stap Verkennen is open",
            now=clock(),
        )
        off = settings.model_copy(update={"outbox_enabled": False})
        runtime = make_runtime(off, database=sqlite_database, clock=clock)
        client = await aiohttp_client(create_app(runtime))
        assert (await client.get("/healthz")).status == 200
        await client.close()
        assert teams.arrivals == []
    finally:
        await teams.close()


def test_outbox_status_counts_messages_per_channel_and_status(
    sqlite_database, sqlite_url, clock, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("DIALOOG_DATABASE_URL", sqlite_url)
    assert main(["outbox", "status"]) == 0
    assert "De outbox is leeg." in capsys.readouterr().out

    anna = add_teams_participant(sqlite_database, "anna", "http://127.0.0.1:9", clock())
    queue(sqlite_database, anna, "prompt:anna:verkennen", "Verkennen is open", now=clock())
    assert main(["outbox", "status"]) == 0
    assert capsys.readouterr().out.split() == ["teams", "wachtend", "1"]
