"""Two sender processes drain one outbox on PostgreSQL (``FOR UPDATE SKIP LOCKED``): every
participant gets the prompt exactly once."""

from __future__ import annotations

import asyncio

import pytest

from tests.planning.test_outbox_crash import queue_broadcast, start_drain, statuses
from tests.support.databases import fresh_postgres_database
from tests.support.limited_connector import LimitedConnector

pytestmark = pytest.mark.postgres

PARTICIPANTS = 200


async def test_two_sender_processes_send_nothing_twice(tmp_path) -> None:
    with fresh_postgres_database() as url:
        teams = await LimitedConnector(inject_rate=0.05).start()
        try:
            await asyncio.to_thread(queue_broadcast, url, teams.url, PARTICIPANTS)
            # each process paces on its own, so each gets half of the app's 50 requests per second
            senders = [
                await start_drain(url, tmp_path, DIALOOG_OUTBOX_TEAMS_APP_LIMITS="25/1")
                for _ in range(2)
            ]
            results = await asyncio.wait_for(
                asyncio.gather(*(s.communicate() for s in senders)), timeout=120
            )

            for sender, (_, err) in zip(senders, results, strict=True):
                assert sender.returncode == 0, err.decode()
            assert len(teams.delivered_conversations()) == PARTICIPANTS
            assert len(teams.arrivals) == PARTICIPANTS and teams.duplicates() == 0
            shares = [
                int(out.decode().split()[1]) for out, _ in results
            ]  # "Outbox: N verzonden, ..."
            assert sum(shares) == PARTICIPANTS and min(shares) > 0  # both did part of the work
            assert await asyncio.to_thread(statuses, url) == {"sent": PARTICIPANTS}
        finally:
            await teams.close()
