"""Two replicas on one PostgreSQL database pace together: Teams' 50 requests per second per app
and 7 per second per conversation hold for both at once, not for each (in fake time)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogen.store.database import Database
from planning.pacing import TEAMS_LIMITS, Pacing
from planning.shared_pacing import SharedPacing
from tests.support.databases import fresh_postgres_database

pytestmark = pytest.mark.postgres


class Time:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def replicas() -> Iterator[tuple[Database, Database]]:
    with fresh_postgres_database() as url:
        first, second = Database(url), Database(url)
        first.migrate()
        yield first, second
        first.dispose()
        second.dispose()


def most_in_any(moments: list[float], seconds: float) -> int:
    moments = sorted(moments)
    return max(
        sum(1 for m in moments[i:] if m < start + seconds) for i, start in enumerate(moments)
    )


async def send_alternately(
    pacers: list[Pacing], clock: Time, conversations: list[str]
) -> list[float]:
    sent: list[float] = []
    for number, conversation in enumerate(conversations):
        await pacers[number % len(pacers)].acquire("teams", conversation)
        sent.append(clock.now)
    return sent


async def test_two_replicas_together_stay_within_the_app_limit(replicas):
    clock = Time()
    pacers: list[Pacing] = [
        SharedPacing({"teams": TEAMS_LIMITS}, database=db, now=clock, sleep=clock.sleep, wall=clock)
        for db in replicas
    ]
    sent = await send_alternately(pacers, clock, [f"c{n}" for n in range(160)])
    assert most_in_any(sent, 1.0) <= 50
    assert sent[-1] - sent[0] < 4.0  # and they do not slow down more than the limit asks


async def test_two_replicas_together_stay_within_a_conversations_limit(replicas):
    clock = Time()
    pacers: list[Pacing] = [
        SharedPacing({"teams": TEAMS_LIMITS}, database=db, now=clock, sleep=clock.sleep, wall=clock)
        for db in replicas
    ]
    sent = await send_alternately(pacers, clock, ["same"] * 30)
    assert most_in_any(sent, 1.0) <= 7 and most_in_any(sent, 2.0) <= 8


async def test_each_replica_pacing_alone_sends_twice_the_limit():
    """What the ledger prevents: per-process pacing lets two replicas send 100 per second."""
    clock = Time()
    pacers = [Pacing({"teams": TEAMS_LIMITS}, now=clock, sleep=clock.sleep) for _ in range(2)]
    sent = await send_alternately(pacers, clock, [f"c{n}" for n in range(160)])
    assert most_in_any(sent, 1.0) > 50
