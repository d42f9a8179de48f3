"""Reading inbound mail (parse, extract the new text) in worker processes.

Parsing MIME and finding the newly written text is pure Python CPU work. Done in the bot's own
process it holds the interpreter lock while Teams turns wait, and a backlog of thousands of
replies (after an outage, or on a step's last evening) would slow every chat. With workers, the
bot's process keeps to the database work while the workers read the next mails
(``bench/mail_ingest.py`` measures both ways).

The workers run exactly :func:`bot.mail.inbound.reading.read_mail`, the code path of ``dialoog mail
extract``. A worker that dies on a mail (memory exhausted) breaks the pool: the mails being read
then fail this attempt — the poller tries them again and quarantines one that keeps failing — and
the next read starts a new pool. The bot's own process never parses what killed a worker. A read
that takes longer than its time limit (the poller waits with a time-out) gets the same: the
poller calls :meth:`MailReaders.restart`, which kills the reader processes, and quarantines the
mail; the reads that were under way beside it are given to the new processes.

Workers are started with ``spawn`` (the bot's process has threads a ``fork`` would copy
mid-flight); like every ``spawn`` user, a script that starts the bot must guard its start with
``if __name__ == "__main__":`` (the ``dialoog`` command does). A worker whose bot process is
gone (``kill -9``, out of memory) exits too: left alone it would wait for work forever, because
it holds both ends of its own task pipe.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait

from bot.mail.contracts import RawMail
from bot.mail.inbound.reading import ReadMail, read_mail

__all__ = ["MailReaders"]

log = logging.getLogger(__name__)


class MailReaders:
    """A pool of ``workers`` processes reading mail; start it once, close it on shutdown."""

    def __init__(self, *, workers: int, max_bytes: int) -> None:
        if workers < 1:
            raise ValueError(
                "at least one worker is needed (or read mail in-process: no MailReaders)"
            )
        self.workers = workers
        self.max_bytes = max_bytes
        self._pool: ProcessPoolExecutor | None = None

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the mail code (about a second)."""
        pool = self._ensure_pool()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(pool, _ready) for _ in range(self.workers)))

    def submit(self, raw: RawMail) -> Future[ReadMail]:
        """Start reading ``raw``. Its result raises ``BrokenProcessPool`` when a worker died."""
        pool = self._ensure_pool()
        if _lost_a_worker(pool):  # it died since the last poll, not on this mail: start afresh
            log.error("mail reader process had died; starting new ones")
            self._replace(pool)
            return self._ensure_pool().submit(_read, raw.raw, self.max_bytes, raw.new_text)
        try:
            return pool.submit(_read, raw.raw, self.max_bytes, raw.new_text)
        except BrokenProcessPool:  # the pool noticed a death we did not see: start afresh, once
            log.error("mail reader process had died; starting new ones")
            self._replace(pool)
            return self._ensure_pool().submit(_read, raw.raw, self.max_bytes, raw.new_text)

    def restart(self) -> None:
        """Stop the reader processes now — one is stuck on a mail — and start new ones on the
        next read. Reads still under way in them fail with ``BrokenProcessPool``."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for worker in list((getattr(pool, "_processes", None) or {}).values()):
            worker.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def _replace(self, pool: ProcessPoolExecutor) -> None:
        self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                initializer=_worker_start,
                mp_context=multiprocessing.get_context("spawn"),
            )
        return self._pool


def _lost_a_worker(pool: ProcessPoolExecutor) -> bool:
    """Whether a worker of ``pool`` has ended (killed, out of memory) while no mail was given to
    it. The executor notices such a death only later, on its own thread, and would then fail the
    next mail submitted — so a death between polls is looked for here, before submitting.
    (``_processes`` is the executor's table of its workers; there is no public one.)"""
    workers = getattr(pool, "_processes", None) or {}
    return any(not worker.is_alive() for worker in list(workers.values()))


def _worker_start() -> None:
    """In each worker: leave Ctrl-C to the bot's process (it closes the pool; a worker would only
    print a traceback), and end as soon as the bot's process has ended."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)  # nothing to clean up: a worker holds no state

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _ready() -> bool:
    return True


def _read(raw: bytes, max_bytes: int, server_text: str | None) -> ReadMail:
    return read_mail(raw, max_bytes=max_bytes, server_text=server_text)
