"""Every read of a mail has a time limit: a mail that takes too long is quarantined with one log
line, its reader process replaced, and the mails behind it go on. No sleeps: the reader process
that never answers is a future that never completes, and the in-process deadline runs on an
injected clock."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.mail.contracts import RawMail
from bot.mail.inbound.poller import MailPoller
from bot.mail.inbound.reading import ReadMail, read_mail
from dialogen.store.database import Database
from tests.support.clock import FakeClock
from tests.support.mail_replies import outlook_nl_reply
from tests.support.mail_world import MailWorld

WHEN = datetime(2024, 10, 1, 12, 47, tzinfo=ZoneInfo("Europe/Amsterdam"))
MAX_BYTES = 10 * 1024 * 1024


class StuckReaders:
    """Reader processes where the mail named ``stuck`` never finishes reading."""

    def __init__(self, stuck: bytes) -> None:
        self.stuck = stuck
        self.restarts = 0
        self.pending: list[Future[ReadMail]] = []

    def submit(self, raw: RawMail) -> Future[ReadMail]:
        future: Future[ReadMail] = Future()
        if self.stuck in raw.raw:
            self.pending.append(future)  # never completes
        else:
            future.set_result(read_mail(raw.raw, max_bytes=MAX_BYTES, server_text=raw.new_text))
        return future

    def restart(self) -> None:
        """What replacing the pool does to reads still under way in it."""
        self.restarts += 1
        for future in self.pending:
            future.set_exception(BrokenProcessPool("terminated"))
        self.pending.clear()


def _poller(world: MailWorld, tmp_path: Path, **options: object) -> MailPoller:
    return MailPoller(
        transport=world.transport,
        inbound=world.inbound,
        quarantine=tmp_path / "quarantine",
        interval=30,
        clock=world.clock,
        ping=world.database.ping,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def world(sqlite_database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path)


async def test_a_read_that_does_not_finish_in_a_reader_process_is_quarantined(
    world: MailWorld, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    petra, prompt = await world.prompted("petra")
    jan, prompt_jan = await world.prompted("jan")
    slow = outlook_nl_reply(
        prompt, sender=world.address("petra"), name="Petra", text="2. 4", when=WHEN
    ).replace(b"Thread-Topic:", b"X-Stuck: yes\r\nThread-Topic:")
    world.drop(slow)
    world.drop(
        outlook_nl_reply(
            prompt_jan, sender=world.address("jan"), name="Jan", text="2. 5", when=WHEN
        )
    )
    readers = StuckReaders(b"X-Stuck: yes")
    poller = _poller(world, tmp_path, readers=readers, read_timeout=0.05)
    with caplog.at_level(logging.INFO, logger="bot.mail.inbound.poller"):
        summary = await poller.poll_once()
    assert (summary.quarantined, summary.outcomes) == (1, {"handled:answers": 1})
    assert readers.restarts == 1 and world.inbox_files() == []
    assert world.answers(petra) == {} and world.answers(jan) == {"waardering": 5}
    (quarantined,) = (tmp_path / "quarantine").glob("*.eml")
    assert quarantined.read_bytes() == slow
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "took longer than" in errors[0] and "quarantined" in errors[0]
    assert "petra" not in errors[0]


async def test_a_read_in_the_bots_own_process_has_a_deadline_too(
    world: MailWorld, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    petra, prompt = await world.prompted("petra")
    world.drop(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text="2. 4", when=WHEN
        )
    )
    ticks = iter([0.0, 0.0, 31.0, 31.0, 31.0, 31.0])  # the read started, then 31 s passed
    poller = _poller(world, tmp_path, read_timeout=30, monotonic=lambda: next(ticks))
    with caplog.at_level(logging.INFO, logger="bot.mail.inbound.poller"):
        summary = await poller.poll_once()
    assert summary.quarantined == 1 and world.inbox_files() == []
    assert world.answers(petra) == {}
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "took longer than 30" in errors[0]
