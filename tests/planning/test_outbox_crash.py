"""A sender process killed with SIGKILL in the middle of a broadcast, then started again: every
participant gets the prompt, and only messages that were in flight at the kill can arrive twice.

The window: a message is marked sent only after Teams accepted it. A kill between the two leaves
the row ``sending``; once its lease has run out (``DIALOOG_OUTBOX_LEASE_SECONDS``) the next sender
puts it back and sends it again. So the duplicates are at most the messages in flight at the kill:
never more than ``DIALOOG_OUTBOX_CONCURRENCY``, and never more than the rows still ``sending``
(which also holds claimed rows that were never attempted: those are sent once, after the lease).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from dialogen.conversation.replies import Say
from dialogen.conversation.reply_codec import encode_replies
from dialogen.store import outbox
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow, OutboxStatus
from tests.conftest import SEALING, SECRET
from tests.support.limited_connector import LimitedConnector
from tests.support.teams_people import add_teams_participant, conversation_of

PARTICIPANTS = 300
KILL_AFTER = 120
CONCURRENCY = 8


@pytest.fixture
async def real_time_teams() -> AsyncIterator[LimitedConnector]:
    stub = await LimitedConnector(inject_rate=0.03, inject_statuses=(500, 503)).start()
    yield stub
    await stub.close()


def queue_broadcast(url: str, service_url: str, participants: int) -> None:
    database = Database(url)
    database.migrate()
    now = datetime.now(UTC)
    for number in range(participants):
        person = add_teams_participant(database, f"p{number:04}", service_url, now)
        with database.unit_of_work() as session:
            outbox.enqueue(
                session,
                key=f"prompt:{person}:verkennen",
                participant_id=person,
                channel="teams",
                kind="step_prompt",
                step_key="verkennen",
                now=now,
                payload=encode_replies((Say(f"Verkennen is open (p{number:04})"),)),
                cipher=SEALING.outbox,
            )
    database.dispose()


def sending_rows(url: str) -> int:
    database = Database(url)
    with database.unit_of_work() as session:
        count = session.exec(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.status == OutboxStatus.SENDING)
        ).one()
    database.dispose()
    return count


def statuses(url: str) -> dict[str, int]:
    database = Database(url)
    with database.unit_of_work() as session:
        counts = outbox.counts(session)
    database.dispose()
    return {status: number for (_, status), number in counts.items()}


async def start_drain(url: str, workdir: Path, **settings: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DIALOOG_DATABASE_URL": url,
        "DIALOOG_OUTBOX_LEASE_SECONDS": "2",
        "DIALOOG_OUTBOX_CONCURRENCY": str(CONCURRENCY),
        "DIALOOG_OUTBOX_BACKOFF_SECONDS": "0.2",
        "DIALOOG_LOG_LEVEL": "WARNING",
        "DIALOOG_MAIL_TRANSPORT": "none",
        "DIALOOG_PSEUDONYM_SECRET": SECRET.decode(),  # the key the test sealed the payloads with
        **settings,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli.command",
        "outbox",
        "drain",
        "--once",
        env=env,
        cwd=workdir,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_a_killed_sender_restarts_and_everyone_gets_the_prompt(tmp_path, real_time_teams):
    teams = real_time_teams
    url = f"sqlite:///{tmp_path / 'dialoog.db'}"
    await asyncio.to_thread(queue_broadcast, url, teams.url, PARTICIPANTS)

    first = await start_drain(url, tmp_path)
    await teams.wait_for_arrivals(KILL_AFTER, timeout=60)
    first.send_signal(signal.SIGKILL)
    assert await first.wait() == -signal.SIGKILL
    sending_at_kill = await asyncio.to_thread(sending_rows, url)
    assert len(teams.delivered_conversations()) < PARTICIPANTS  # really killed mid-broadcast

    second = await start_drain(url, tmp_path)
    out, err = await asyncio.wait_for(second.communicate(), timeout=120)
    assert second.returncode == 0, err.decode()

    assert len(teams.delivered_conversations()) == PARTICIPANTS
    # rows still "sending" at the kill include claimed ones never attempted (no duplicates there)
    assert teams.duplicates() <= min(sending_at_kill, CONCURRENCY)
    assert await asyncio.to_thread(statuses, url) == {"sent": PARTICIPANTS}
    assert "verzonden" in out.decode()


async def test_a_drain_whose_credentials_are_refused_ends_and_says_what_to_check(tmp_path) -> None:
    teams = await LimitedConnector().start()
    try:
        url = f"sqlite:///{tmp_path / 'dialoog.db'}"
        await asyncio.to_thread(queue_broadcast, url, teams.url, 3)
        for number in range(3):
            teams.script[conversation_of(f"p{number:04}")] = [
                401
            ] * 5  # e.g. the client secret expired
        drain = await start_drain(url, tmp_path)
        out, err = await asyncio.wait_for(
            drain.communicate(), timeout=120
        )  # does not wait out the pause
        assert drain.returncode == 0, err.decode()
        assert "3 wacht(en): het kanaal weigerde de inloggegevens van de bot" in out.decode()
        assert "refused the bot's credentials" in err.decode()
        assert await asyncio.to_thread(statuses, url) == {
            "pending": 3
        }  # nothing failed, nothing lost
    finally:
        await teams.close()
