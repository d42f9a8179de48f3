"""Reader processes (``DIALOOG_MAIL_READ_WORKERS``): mail is parsed beside the bot's process, the
result is the same as reading it in-process, and a reader that dies costs an attempt, never a mail.

These start real worker processes (spawn), about a second each."""

from __future__ import annotations

import asyncio
import multiprocessing
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import create_app
from bot.mail.contracts import RawMail
from bot.mail.inbound.readers import MailReaders
from bot.mail.inbound.reading import ReadMail, read_mail
from dialogen.door.mail_intake import CONFIRMATION
from dialogen.store.database import Database
from tests.conftest import make_runtime
from tests.support.clock import FakeClock
from tests.support.mail_replies import outlook_nl_reply
from tests.support.mail_world import MailWorld

FIXTURES = Path(__file__).parents[1] / "mail_fixtures"
WHEN = datetime(2024, 10, 1, 12, 47, tzinfo=ZoneInfo("Europe/Amsterdam"))
MAX_BYTES = 10 * 1024 * 1024


@pytest.fixture
async def readers() -> AsyncIterator[MailReaders]:
    pool = MailReaders(workers=1, max_bytes=MAX_BYTES)
    await pool.start()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def world(
    sqlite_database: Database, clock: FakeClock, tmp_path: Path, readers: MailReaders
) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path, readers=readers)


async def test_a_reader_process_reads_every_fixture_exactly_as_the_bot_itself_does(
    readers: MailReaders,
) -> None:
    files = sorted(FIXTURES.glob("*.eml"))
    assert len(files) >= 15
    raws = [RawMail(uid=path.name, raw=path.read_bytes()) for path in files]
    readings = [readers.submit(raw) for raw in raws]
    for raw, reading in zip(raws, readings, strict=True):
        assert reading.result(timeout=60) == read_mail(raw.raw, max_bytes=MAX_BYTES), raw.uid


async def test_replies_read_in_a_reader_process_are_stored_in_order_and_confirmed(
    world: MailWorld,
) -> None:
    participant, prompt = await world.prompted()
    for text in ("2. 3", "2. 5\n4. b"):  # the later mail corrects the earlier one
        world.drop(
            outlook_nl_reply(
                prompt, sender=world.address("petra"), name="Petra", text=text, when=WHEN
            )
        )
    summary = await world.poll()
    assert summary.outcomes == {"handled:answers": 2} and world.inbox_files() == []
    assert world.answers(participant) == {"waardering": 5, "obstakel": "verschillende-belangen"}
    assert len(world.rows(CONFIRMATION)) == 2


async def test_a_reader_process_that_died_between_polls_is_replaced_and_the_mail_read(
    world: MailWorld,
) -> None:
    participant, prompt = await world.prompted()
    world.drop(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text="2. 4", when=WHEN
        )
    )
    workers = multiprocessing.active_children()
    assert workers
    for worker in workers:  # what the kernel's OOM killer would do
        worker.kill()
        worker.join()
    summary = await world.poll()
    assert summary.outcomes == {"handled:answers": 1} and world.inbox_files() == []
    assert world.answers(participant) == {"waardering": 4}


async def test_a_read_lost_with_its_reader_process_costs_one_attempt_not_the_mail(
    world: MailWorld, readers: MailReaders, monkeypatch: pytest.MonkeyPatch
) -> None:
    participant, prompt = await world.prompted()
    world.drop(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text="2. 4", when=WHEN
        )
    )
    real = readers.submit

    def lost(raw: RawMail) -> Future[ReadMail]:  # the worker died while reading this mail
        future: Future[ReadMail] = Future()
        future.set_exception(
            BrokenProcessPool("A process in the process pool was terminated abruptly")
        )
        return future

    monkeypatch.setattr(readers, "submit", lost)
    failed = await world.poll()
    assert (failed.failed, failed.processed) == (1, 0) and len(world.inbox_files()) == 1
    assert world.answers(participant) == {}
    monkeypatch.setattr(readers, "submit", real)
    again = await world.poll()
    assert again.outcomes == {"handled:answers": 1} and world.inbox_files() == []
    assert world.answers(participant) == {"waardering": 4}


def test_reader_processes_end_when_the_bot_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "serve_readers.py"
    script.write_text(
        "import asyncio, multiprocessing, sys\n"
        "from bot.mail.inbound.readers import MailReaders\n"
        "async def main():\n"
        "    readers = MailReaders(workers=1, max_bytes=1 << 20)\n"
        "    await readers.start()\n"
        "    print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
        "    await asyncio.Event().wait()\n"
        "if __name__ == '__main__':\n"
        "    asyncio.run(main())\n",
        encoding="utf-8",
    )
    bot = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[3],
    )
    try:
        assert bot.stdout is not None
        (worker,) = [int(pid) for pid in bot.stdout.readline().split()]
        assert _running(worker)
    finally:
        bot.kill()  # SIGKILL: no clean shutdown of the pool
        bot.wait()
    deadline = time.monotonic() + 30
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for another process to exit, not timing anything
    assert not _running(worker)


def _running(pid: int) -> bool:
    """Alive and not a zombie (this machine's init may reap late)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


async def test_dialoog_serve_reads_the_inbox_with_a_reader_process_and_stops_it(
    aiohttp_client, sqlite_database: Database, clock: FakeClock, tmp_path: Path
) -> None:
    world = MailWorld(sqlite_database, clock, tmp_path)  # the app builds its own poller and readers
    participant, prompt = await world.prompted()
    world.drop(
        outlook_nl_reply(
            prompt, sender=world.address("petra"), name="Petra", text="2. 4", when=WHEN
        )
    )
    assert world.settings.mail_read_workers == 1  # the default
    only_mail = {"outbox_enabled": False, "scheduler_enabled": False}
    runtime = make_runtime(
        world.settings.model_copy(update=only_mail), database=sqlite_database, clock=clock
    )
    client = await aiohttp_client(create_app(runtime))
    deadline = time.monotonic() + 60
    while world.inbox_files() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)  # the first poll runs at start-up; waiting for it, not timing it
    assert world.inbox_files() == [] and world.answers(participant) == {"waardering": 4}
    assert len(multiprocessing.active_children()) == 1
    await client.close()
    assert multiprocessing.active_children() == []
