"""The inbox poller: fetch new mail from the transport, process each, mark it processed.

It never stops on a bad mail or a bad moment:

- a transport problem (server down, login refused) is logged and the next poll tries again, after
  the server's ``Retry-After`` when it gave one;
- when the database does not answer, the batch waits (nothing is counted against the mails);
- a mail whose processing fails stays unprocessed and is tried again on the next polls; after
  ``max_attempts`` failures it is quarantined — its bytes (sealed with ``seal``: it names its
  sender and holds what they wrote; ``dialoog privacy unseal`` opens it) and the reason written to
  the quarantine folder — and marked processed, so one poisonous mail cannot block the rest;
- reading a mail (parsing, finding the new text) has a time limit, ``read_timeout``: a mail that
  takes longer is quarantined at once, with one log line, and its reader process replaced (in the
  bot's own process, ``read_workers=0``, the limit is a deadline checked between the steps of
  reading: see :class:`~bot.mail.inbound.reading.Deadline`);
- the next mail always goes on. Log lines carry the transport's id and an outcome, never an
  address or the mail's content.

Processing is idempotent (Message-ID), so a mail processed but not yet marked when the process
died is harmless the second time.

Mails are handled one at a time, in the order the transport gave them, by a worker thread that
takes ``CHUNK`` mails per trip (a trip per mail cost more thread hand-overs than database work).
With reader processes (``bot.mail.inbound.readers``) every mail of the batch is being read while the
thread does the database work of the ones before it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.mail.contracts import MailTransport, MailTransportError, PollLease, RawMail
from bot.mail.inbound.intake import MailInbound, Processed
from bot.mail.inbound.readers import MailReaders
from bot.mail.inbound.reading import READ_TIMEOUT, Deadline, ReadMail, ReadTimeout, read_mail

__all__ = ["MailPoller", "PollSummary"]

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Reading = Future[ReadMail] | None  # the mail's read in a reader process; None: read in-process

CHUNK = 16  # mails per trip to the worker thread


@dataclass
class PollSummary:
    fetched: int = 0
    processed: int = 0
    failed: int = 0
    quarantined: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    retry_after: float | None = None  # the transport asked to wait this long


class MailPoller:
    def __init__(
        self,
        *,
        transport: MailTransport,
        inbound: MailInbound,
        quarantine: Path,
        interval: float,
        clock: Callable[[], datetime],
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = 5,
        readers: MailReaders | None = None,
        ping: Callable[[], bool],
        read_timeout: float = READ_TIMEOUT,
        lease: PollLease | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        seal: Callable[[bytes], bytes] | None = None,
    ) -> None:
        self.transport = transport
        self.readers = readers
        self.inbound = inbound
        self.ping = ping  # is the database there? (a batch waits when it is not)
        self.quarantine = quarantine
        self.interval = interval
        self.lease = lease  # several replicas: only the lease holder polls
        self.clock = clock
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.read_timeout = read_timeout
        self.monotonic = monotonic
        self.seal = seal  # quarantined mail is kept sealed (None: as it came, for tests)
        self._failures: dict[str, int] = {}

    async def poll_once(self) -> PollSummary:
        """One fetch and everything in it."""
        summary = PollSummary()
        try:
            mails = await self.transport.fetch_new()
        except MailTransportError as error:
            log.warning("mail fetch failed (%s); trying again later", error)
            summary.retry_after = error.retry_after
            return summary
        summary.fetched = len(mails)
        if mails and not await asyncio.to_thread(self.ping):
            log.warning("database unreachable: %d mail(s) wait for the next poll", len(mails))
            return summary
        readings: list[Reading] = []
        waiting = self._read_ahead(
            [mails[start : start + CHUNK] for start in range(0, len(mails), CHUNK)], readings
        )
        try:
            working = self._start(next(waiting, None))
            while working is not None:
                results = await working
                working = self._start(
                    next(waiting, None)
                )  # the thread goes on while these are settled
                for raw, result in results:
                    await self._settle(raw, result, summary)
        finally:
            for reading in readings:  # the poll stopped early: reads not needed any more
                if reading is not None:
                    reading.cancel()
        return summary

    def _read_ahead(
        self, chunks: list[list[RawMail]], readings: list[Reading]
    ) -> Iterator[list[tuple[RawMail, Reading]]]:
        """Each chunk with its mails' reads, the next chunk's reads already under way: the readers
        stay ahead of the database work, and at most a few chunks of read mails wait in memory
        (a mail may be megabytes). Every read started is appended to ``readings``."""

        def start(chunk: list[RawMail]) -> list[Reading]:
            started = [self.readers.submit(raw) if self.readers else None for raw in chunk]
            readings.extend(started)
            return started

        upcoming = start(chunks[0]) if chunks else []
        for index, chunk in enumerate(chunks):
            current, upcoming = (
                upcoming,
                start(chunks[index + 1]) if index + 1 < len(chunks) else [],
            )
            yield list(zip(chunk, current, strict=True))

    def _start(
        self, chunk: Sequence[tuple[RawMail, Reading]] | None
    ) -> asyncio.Future[list[tuple[RawMail, Processed | Exception]]] | None:
        return asyncio.ensure_future(asyncio.to_thread(self._process, chunk)) if chunk else None

    def _process(
        self, chunk: Sequence[tuple[RawMail, Reading]]
    ) -> list[tuple[RawMail, Processed | Exception]]:
        """In the worker thread: each mail's outcome, or what went wrong with it."""
        results: list[tuple[RawMail, Processed | Exception]] = []
        for raw, reading in chunk:
            try:
                results.append((raw, self.inbound.process(raw, self._read(raw, reading))))
            except Exception as error:  # noqa: BLE001 - one mail must never stop the others
                results.append((raw, error))
        return results

    def _read(self, raw: RawMail, reading: Reading) -> ReadMail:
        """The mail read within ``read_timeout``: in the bot's process against a deadline, or
        from its reader process; a read lost when the processes were replaced is read again."""
        if reading is None or self.readers is None:
            deadline = Deadline(self.read_timeout, self.monotonic)
            max_bytes = self.inbound.max_bytes
            return read_mail(
                raw.raw, max_bytes=max_bytes, server_text=raw.new_text, deadline=deadline
            )
        try:
            return self._wait(reading)
        except BrokenProcessPool:  # its reader process was replaced: once more, in the new ones
            return self._wait(self.readers.submit(raw))

    def _wait(self, reading: Future[ReadMail]) -> ReadMail:
        try:
            return reading.result(timeout=self.read_timeout)
        except TimeoutError:
            assert self.readers is not None
            self.readers.restart()
            raise ReadTimeout(self.read_timeout) from None

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set (``dialoog serve``); with a lease, only while holding it
        (renewed before every poll; another replica takes over when this one stops renewing)."""
        try:
            await self._run(stop)
        finally:
            if self.lease is not None:
                await asyncio.to_thread(self.lease.release)

    async def _run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if self.lease is not None and not await asyncio.to_thread(self.lease.hold):
                    await _wait(self.sleep(self.interval), stop)  # another replica polls
                    continue
                summary = await self.poll_once()
            except Exception as error:  # noqa: BLE001 - the poller never dies; the next poll tries again
                log.error(
                    "mail poll failed error=%s at=%s; trying again later",
                    type(error).__name__,
                    _where(error),
                )
                summary = PollSummary()
            if summary.processed and summary.fetched:
                continue  # more may be waiting: fetch again at once
            wait = max(self.interval, summary.retry_after or 0.0)
            await _wait(self.sleep(wait), stop)

    async def _settle(
        self, raw: RawMail, processed: Processed | Exception, summary: PollSummary
    ) -> None:
        """Count, log and mark one mail; a failed one stays for the next polls, then quarantine."""
        if isinstance(processed, ReadTimeout):
            summary.failed += 1
            summary.quarantined += 1
            restarted = "; reader processes replaced" if self.readers else ""
            await self._quarantine(raw, f"{processed}{restarted}")
            return
        if isinstance(processed, Exception):
            error = processed
            attempts = self._failures.get(raw.uid, 0) + 1
            self._failures[raw.uid] = attempts
            summary.failed += 1
            log.error(
                "mail could not be processed uid=%s attempt=%d error=%s at=%s",
                raw.uid,
                attempts,
                type(error).__name__,
                _where(error),
            )  # no message: it could quote the mail
            if attempts >= self.max_attempts:
                await self._quarantine(raw, f"{type(error).__name__} after {attempts} attempts")
                summary.quarantined += 1
            return
        self._failures.pop(raw.uid, None)
        summary.processed += 1
        summary.outcomes[processed.outcome] = summary.outcomes.get(processed.outcome, 0) + 1
        log.info("mail processed uid=%s outcome=%s", raw.uid, processed.outcome)
        if processed.reply is not None:
            result = await self.transport.send(processed.reply)
            if not result.ok:
                log.warning(
                    "reply to an unknown sender not sent uid=%s reason=%s", raw.uid, result.reason
                )
        await self._mark(raw.uid)

    async def _quarantine(self, raw: RawMail, reason: str) -> None:
        """Keep the mail's bytes and the reason, then take it out of the inbox."""
        name = hashlib.sha256(raw.uid.encode("utf-8", "surrogateescape")).hexdigest()[:24]

        def write() -> None:
            self.quarantine.mkdir(parents=True, exist_ok=True)
            if self.seal is not None:
                (self.quarantine / f"{name}.eml.sealed").write_bytes(self.seal(raw.raw))
            else:
                (self.quarantine / f"{name}.eml").write_bytes(raw.raw)
            (self.quarantine / f"{name}.reason.txt").write_text(
                f"{self.clock().isoformat()} {reason}\ntransport id: {raw.uid}\n", encoding="utf-8"
            )

        try:
            await asyncio.to_thread(write)
        except OSError as error:
            log.error(
                "mail could not be quarantined uid=%s error=%s; it stays in the inbox",
                raw.uid,
                type(error).__name__,
            )
            return
        log.error("mail quarantined uid=%s file=%s.eml reason=%s", raw.uid, name, reason)
        self._failures.pop(raw.uid, None)
        await self._mark(raw.uid)

    async def _mark(self, uid: str) -> None:
        try:
            await self.transport.mark_processed(uid)
        except MailTransportError as error:  # it comes back and is recognised as a duplicate
            log.warning("mail could not be marked processed uid=%s (%s)", uid, error)


def _where(error: BaseException) -> str:
    """Where an exception was raised (file:line of the innermost frame), for the log."""
    frames = traceback.extract_tb(error.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"


async def _wait(sleeper: Awaitable[None], stop: asyncio.Event) -> None:
    sleeping = asyncio.ensure_future(sleeper)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
    for waiter in (sleeping, stopping):
        waiter.cancel()
