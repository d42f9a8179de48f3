"""Fixtures for the outbox tests: the Teams-limit-enforcing connector stub on the fake clock, a
sleep that moves that clock instead of waiting, and helpers to queue messages."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.outbox_sender import sender_for as build_outbox_sender
from bot.runtime import build_runtime
from bot.settings import Settings
from dialogen.conversation.replies import Reply, Say
from dialogen.conversation.reply_codec import encode_replies
from dialogen.store import outbox
from dialogen.store.database import Database
from planning.contracts import Transport
from planning.sender import OutboxSender
from tests.conftest import SEALING, SECRET
from tests.support.clock import FakeClock
from tests.support.limited_connector import LimitedConnector

FakeSleep = Callable[[float], Awaitable[None]]


@pytest.fixture
def fake_sleep(clock: FakeClock) -> FakeSleep:
    """Waiting moves the fake clock to the end of the wait: pacing and backoff take no real time.
    (Waits that overlap do not add up: the clock goes to the latest end.)"""

    async def sleep(seconds: float) -> None:
        until = clock() + timedelta(seconds=max(seconds, 0.0))
        await asyncio.sleep(0)
        if clock() < until:
            clock.set(until)

    return sleep


@pytest.fixture
async def teams(clock: FakeClock) -> AsyncIterator[LimitedConnector]:
    """The Bot Connector stand-in, judging Teams' limits on the same fake clock."""
    stub = await LimitedConnector(clock=lambda: clock().timestamp()).start()
    yield stub
    await stub.close()


def sender_for(
    database: Database,
    clock: FakeClock,
    sleep: FakeSleep,
    *,
    more_transports: Sequence[Transport] = (),
    teams: bool = True,
    **settings: Any,
) -> OutboxSender:
    """The sender as the runtime builds it (its Teams delivery), plus ``more_transports``."""
    settings.setdefault("outbox_concurrency", 4)
    settings = {"mail_transport": "none", "pseudonym_secret": SECRET.decode(), **settings}
    configured = Settings(database_url="sqlite://", **settings)
    runtime = build_runtime(configured, clock=clock, database=database)
    transports = [runtime.teams.delivery] if teams else []
    return build_outbox_sender(
        configured,
        database,
        [*transports, *more_transports],
        cipher=runtime.sealing.outbox,
        clock=clock,
        sleep=sleep,
        pacing_clock=lambda: clock().timestamp(),
    )


def queue(
    database: Database,
    participant_id: str,
    key: str,
    *replies: Reply | str,
    now: datetime,
    kind: str = "nudge",
    channel: str = "teams",
    **timing: Any,
) -> bool:
    payload = encode_replies(tuple(Say(r) if isinstance(r, str) else r for r in replies))
    with database.unit_of_work() as session:
        return outbox.enqueue(
            session,
            key=key,
            participant_id=participant_id,
            channel=channel,
            kind=kind,
            payload=payload,
            cipher=SEALING.outbox,
            now=now,
            **timing,
        )


def row_of(database: Database, key: str) -> outbox.OutboxRow:
    with database.unit_of_work() as session:
        row = session.exec(select(outbox.OutboxRow).where(outbox.OutboxRow.key == key)).one()
        session.expunge(row)
        return row
