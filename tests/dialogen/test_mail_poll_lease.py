"""One replica at a time polls a mailbox: a lease in the database, renewed before every poll and
taken over once its holder stops renewing (it died). On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.mail.inbound.poller import MailPoller
from dialogen.store.database import Database
from dialogen.store.mail_poll import MailboxLease

MAILBOX = "dialoog@gemeente.nl"


class Seconds:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_one_replica_holds_the_lease_until_it_stops_renewing(database: Database):
    clock = Seconds()
    first = MailboxLease(database, MAILBOX, seconds=60, clock=clock)
    second = MailboxLease(database, MAILBOX.upper(), seconds=60, clock=clock)  # same mailbox
    assert first.hold() and not second.hold()
    clock.now += 59
    assert first.hold() and not second.hold()  # renewed: still the first's
    clock.now += 61  # the first died: no renewal for longer than the lease
    assert second.hold() and not first.hold()
    second.release()  # stopping: the next replica need not wait for the lease to run out
    assert first.hold()


def test_another_mailbox_has_its_own_lease(database: Database):
    clock = Seconds()
    assert MailboxLease(database, MAILBOX, seconds=60, clock=clock).hold()
    assert MailboxLease(database, "ander@gemeente.nl", seconds=60, clock=clock).hold()


class CountingTransport:
    name = "counting"

    def __init__(self) -> None:
        self.fetches = 0

    async def fetch_new(self) -> list[object]:
        self.fetches += 1
        return []


async def test_a_poller_without_the_lease_does_not_fetch(database: Database, tmp_path: Path):
    clock = Seconds()
    MailboxLease(database, MAILBOX, seconds=60, clock=clock).hold()  # another replica polls
    stop = asyncio.Event()
    polls = 0

    async def sleep(seconds: float) -> None:
        nonlocal polls
        polls += 1
        if polls == 3:
            stop.set()

    transport = CountingTransport()
    poller = MailPoller(
        transport=transport,  # type: ignore[arg-type]
        inbound=None,  # type: ignore[arg-type]
        quarantine=tmp_path,
        interval=30,
        clock=None,  # type: ignore[arg-type]
        sleep=sleep,
        ping=lambda: True,
        lease=MailboxLease(database, MAILBOX, seconds=60, clock=clock),
    )
    await poller.run(stop)
    assert transport.fetches == 0
    clock.now += 120  # the other replica stopped renewing: this one takes over and polls
    stop.clear()
    polls = 0
    await poller.run(stop)
    assert transport.fetches >= 1
