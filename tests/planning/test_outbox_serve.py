"""``dialoog serve`` drains the outbox beside the bot; ``dialoog outbox status`` shows the queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import create_app
from bot.cli.command import SERVE_EXTENSIONS, main
from bot.cli.outbox import serve_outbox
from bot.settings import Settings
from dialogen.door.service import DialogueService
from tests.planning.conftest import queue
from tests.support.limited_connector import LimitedConnector
from tests.support.teams_people import add_teams_participant, conversation_of


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=sqlite_url,
        demo_calendar=False,
        pseudonym_secret="x" * 40,
        pseudonym_secret_file=tmp_path / "secret",
        mail_transport="none",
        outbox_poll_seconds=0.05,
    )


async def test_serve_sends_what_is_queued_and_stops_cleanly(
    aiohttp_client, settings: Settings, service: DialogueService, clock
) -> None:
    teams = await LimitedConnector().start()
    try:
        anna = add_teams_participant(service.database, "anna", teams.url, clock())
        queue(
            service.database,
            anna,
            "prompt:anna:verkennen",
            "De stap Verkennen is open",
            now=clock(),
        )
        assert serve_outbox in SERVE_EXTENSIONS

        client = await aiohttp_client(
            create_app(settings, service=service, extensions=(serve_outbox,))
        )
        await teams.wait_for_arrivals(1, timeout=20)
        queue(service.database, anna, "nudge:anna:verkennen:7d", "Nog 7 dagen", now=clock())
        await teams.wait_for_arrivals(2, timeout=20)
        await client.close()  # the sender stops with the app

        assert teams.texts_for(conversation_of("anna")) == [
            "De stap Verkennen is open",
            "Nog 7 dagen",
        ]
    finally:
        await teams.close()


async def test_the_sender_can_be_switched_off(
    aiohttp_client, settings: Settings, service: DialogueService, clock
) -> None:
    teams = await LimitedConnector().start()
    try:
        anna = add_teams_participant(service.database, "anna", teams.url, clock())
        queue(
            service.database,
            anna,
            "prompt:anna:verkennen",
            "De stap Verkennen is open",
            now=clock(),
        )
        off = settings.model_copy(update={"outbox_enabled": False})
        client = await aiohttp_client(create_app(off, service=service, extensions=(serve_outbox,)))
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
