"""The outbox sender: drains due messages per channel, within the channel's limits, with retries.

One loop per process. It claims due rows in batches with a lease (at most one per participant
and channel, so each participant gets their messages in order), keeps at most ``concurrency``
deliveries in flight, hands each to its channel's :class:`Transport`, and records the outcomes
(``planning.outcomes``): sent, retry later (``planning.retry``), failed with the reason, or
recipient unreachable.

**Crash window.** A message is recorded as sent only after the channel accepted it. If the process
dies (``kill -9``, power loss) in between, the row stays ``sending`` until its lease expires
(``lease_seconds``); then any sender puts it back and sends it again. So after a crash at most the
messages in flight at that moment — never more than ``concurrency`` — can arrive twice; nothing is
lost. Claimed messages that were not attempted yet are not sent twice: they only wait for the
lease. A clean stop lets the deliveries in flight finish and gives the rest back at once.
"""

from __future__ import annotations

import asyncio
import logging
import random as random_module
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from dialogen.contracts import OutboxMessage
from dialogen.privacy.housekeeping import PrivacyHousekeeping
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.store import outbox
from dialogen.store import participants as participant_store
from dialogen.store.database import Database
from planning.contracts import Delivery, SendFailure, Transport
from planning.outcomes import DrainSummary, Fallback, Outcome, record
from planning.pacing import Pacing
from planning.retry import Hold, Retry, RetryPolicy

__all__ = ["DrainSummary", "MailVersion", "OutboxSender"]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
MIN_PAUSE = 0.1  # seconds; the shortest idle wait, so waiting for another sender never spins
PREFETCH = 4  # claim up to this many times ``concurrency`` rows ahead, in one transaction
COMMIT_DELAY = 0.05  # seconds a finished outcome may wait for others to be committed with it


class MailVersion:
    """The fallback once a mail transport exists: the same content by mail, queued once (sealed
    like every payload), for participants with an e-mail address."""

    def __init__(self, cipher: PayloadCipher) -> None:
        self._cipher = cipher

    def __call__(self, session: Any, message: OutboxMessage, now: datetime) -> None:
        participant = participant_store.get(session, message.participant_id)
        if participant is not None and participant.email and message.channel != "mail":
            outbox.requeue_on_channel(
                session, message=message, channel="mail", now=now, cipher=self._cipher
            )


class OutboxSender:
    def __init__(
        self,
        *,
        database: Database,
        transports: Iterable[Transport],
        pacing: Pacing,
        clock: Clock,
        sleep: Sleep,
        cipher: PayloadCipher,
        retry: RetryPolicy | None = None,
        fallback: Fallback | None = None,
        concurrency: int = 8,
        lease_seconds: float = 60.0,
        poll_seconds: float = 2.0,
        stop_grace_seconds: float = 10.0,
        random: Callable[[], float] = random_module.random,
        privacy: PrivacyHousekeeping | None = None,
    ) -> None:
        if concurrency < 1 or lease_seconds <= 0 or poll_seconds <= 0:
            raise ValueError("concurrency, lease_seconds and poll_seconds must be positive")
        self._database = database
        self._transports = {t.channel: t for t in transports}
        self._pacing = pacing
        self._clock = clock
        self._sleep = sleep
        self._cipher = cipher  # opens the payloads it claims
        self._retry = retry or RetryPolicy()
        self._held_until: dict[str, datetime] = {}  # channel -> end of its credentials pause
        self._give_back: list[str] = []  # claimed for a channel that has since been held: release
        self._fallback = fallback
        self._concurrency = concurrency
        self._lease = timedelta(seconds=lease_seconds)
        self._poll = poll_seconds
        self._stop_grace = stop_grace_seconds
        self._random = random
        self._privacy = privacy  # purges finished messages, reorders answers (hourly)
        self._ready: deque[OutboxMessage] = deque()  # claimed, not attempted yet
        self._running: dict[str, asyncio.Task[Outcome]] = {}
        self._finished: list[Outcome] = []  # still in flight until their outcome is committed
        self._finished_since = 0.0  # event-loop time the oldest of them finished
        self._attempted: set[str] = set()  # running messages whose first request may have left
        self._last_housekeeping: datetime | None = None
        self.summary = DrainSummary()

    @property
    def channels(self) -> list[str]:
        return list(self._transports)

    async def drain(self) -> DrainSummary:
        """Send everything due, wait for retries and for other senders' leases, then stop."""
        return await self._loop(stop=None)

    async def run(self, stop: asyncio.Event) -> DrainSummary:
        """Keep sending until ``stop`` is set (``dialoog serve``, ``dialoog outbox drain``)."""
        return await self._loop(stop=stop)

    # ------------------------------------------------------------ the loop

    async def _loop(self, stop: asyncio.Event | None) -> DrainSummary:
        if not self._transports:
            return self.summary
        try:
            while stop is None or not stop.is_set():
                try:
                    if not await self._step(stop):
                        break
                except Exception:
                    if stop is None:
                        raise
                    # serving: a database hiccup must not end the sender; try again shortly
                    log.exception("outbox sender step failed; trying again")
                    await self._pause(self._poll, stop)
        finally:
            await self._finish()
        return self.summary

    async def _step(self, stop: asyncio.Event | None) -> bool:
        """Record what finished, claim more when running low, start deliveries, then wait for one
        to finish or for work to become due. False when a drain is done."""
        await self._housekeeping()
        self._collect()
        limit = 0
        if len(self._ready) < self._concurrency:
            limit = PREFETCH * self._concurrency - len(self._ready) - len(self._running)
        if limit > 0 or self._commit_due() or self._give_back:
            claimed = await asyncio.to_thread(
                self._commit_and_claim, list(self._finished), limit, list(self._give_back)
            )
            self._finished.clear()
            self._give_back.clear()
            await self._prepare(claimed)
            self._ready.extend(claimed)
        while self._ready and len(self._running) + len(self._finished) < self._concurrency:
            message = self._ready.popleft()
            if self._held(message.channel):
                self._give_back.append(message.id)
                continue
            self._running[message.id] = asyncio.create_task(self._deliver(message))
        if self._running:
            await self._wait_for_a_delivery(stop)
            return True
        if self._give_back:
            return True  # released with the next commit, at once
        wake = await asyncio.to_thread(self._next_wake)
        if wake is None and stop is None:
            return False  # a drain ends; messages of a held channel wait for the next run
        pause = self._poll if wake is None else (wake - self._clock()).total_seconds()
        await self._pause(min(max(pause, MIN_PAUSE), self._poll), stop)
        return True

    def _commit_due(self) -> bool:
        """Outcomes are committed together: when half the places wait for it, when nothing else
        runs, or when the first has waited ``COMMIT_DELAY``."""
        if not self._finished:
            return False
        return (
            len(self._finished) * 2 >= self._concurrency
            or not self._running
            or not self._ready
            or asyncio.get_running_loop().time() - self._finished_since >= COMMIT_DELAY
        )

    async def _prepare(self, claimed: list[OutboxMessage]) -> None:
        by_channel: dict[str, list[OutboxMessage]] = {}
        for message in claimed:
            by_channel.setdefault(message.channel, []).append(message)
        for channel, messages in by_channel.items():
            prepare = getattr(self._transports[channel], "prepare", None)
            if prepare is not None:
                try:
                    await prepare(messages)
                except Exception:  # noqa: BLE001 - deliver() looks up what prepare() could not
                    log.exception("outbox transport could not prepare channel=%s", channel)

    def _collect(self) -> None:
        for message_id, task in list(self._running.items()):
            if task.done():
                if not self._finished:
                    self._finished_since = asyncio.get_running_loop().time()
                del self._running[message_id]
                self._attempted.discard(message_id)
                self._finished.append(task.result())

    async def _wait_for_a_delivery(self, stop: asyncio.Event | None) -> None:
        waiters: set[asyncio.Future[Any]] = set(self._running.values())
        stopper = asyncio.ensure_future(stop.wait()) if stop is not None else None
        if stopper is not None:
            waiters.add(stopper)
        # wake at least every third of a lease to renew the leases of slow deliveries, and soon
        # when finished outcomes wait for their commit
        timeout = COMMIT_DELAY if self._finished else self._lease.total_seconds() / 3
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if stopper is not None:
            stopper.cancel()

    async def _pause(self, seconds: float, stop: asyncio.Event | None) -> None:
        sleeper = asyncio.ensure_future(self._sleep(seconds))
        if stop is None:
            await sleeper
            return
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        for waiter in (sleeper, stopper):
            waiter.cancel()

    async def _finish(self) -> None:
        """On stop: let deliveries in flight end (bounded), record them, give back the rest.
        A delivery cut off after its first request may have arrived: it stays ``sending`` until
        its lease runs out (the crash window)."""
        give_back = [m.id for m in self._ready] + self._give_back
        self._give_back = []
        if self._running:
            _, late = await asyncio.wait(set(self._running.values()), timeout=self._stop_grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
            for message_id, task in list(self._running.items()):
                if task.cancelled():
                    del self._running[message_id]
                    if message_id not in self._attempted:
                        give_back.append(message_id)
        self._collect()
        if self._finished or give_back:
            await asyncio.to_thread(self._commit_and_release, list(self._finished), give_back)
        self._ready.clear()
        self._running.clear()
        self._finished.clear()
        self._attempted.clear()

    # ------------------------------------------------------------ one message

    async def _deliver(self, message: OutboxMessage) -> Outcome:
        transport = self._transports[message.channel]

        async def pace(conversation: str) -> None:
            await self._pacing.acquire(message.channel, conversation)
            self._attempted.add(message.id)

        try:
            delivery = await transport.deliver(message, pace)
        except Exception as error:  # noqa: BLE001 - a broken transport must not stop the sender
            log.exception("outbox transport error id=%s channel=%s", message.id, message.channel)
            delivery = Delivery(
                message.parts_sent, SendFailure(None, f"transport error {type(error).__name__}")
            )
        if delivery.failure is None:
            return Outcome(message, delivery, None)
        verdict = self._retry.judge(
            delivery.failure, attempts=message.attempts, random=self._random
        )
        if delivery.failure.status == 429 and delivery.conversation and isinstance(verdict, Retry):
            self._pacing.throttled(message.channel, delivery.conversation, verdict.delay)
        if isinstance(verdict, Hold):
            self._hold_channel(message.channel, verdict)
        return Outcome(message, delivery, verdict)

    def _hold_channel(self, channel: str, hold: Hold) -> None:
        """The channel refused the bot's credentials: nothing more is claimed for it for a while
        (deliveries already under way end with the same hold), and the operator learns what to
        fix (once per pause, not once per message)."""
        now = self._clock()
        if now >= self._held_until.get(channel, now):
            log.error(
                "%s refused the bot's credentials (%s): check the app id, secret or certificate "
                "and tenant (DIALOOG_APP_*); %s messages wait and are tried again in %.0f s",
                channel,
                hold.reason,
                channel,
                hold.delay,
            )
        self._held_until[channel] = now + timedelta(seconds=hold.delay)

    def _held(self, channel: str) -> bool:
        until = self._held_until.get(channel)
        return until is not None and self._clock() < until

    def _open_channels(self) -> list[str]:
        return [channel for channel in self.channels if not self._held(channel)]

    # ------------------------------------------------------------ the database side

    def _commit_and_claim(
        self, outcomes: list[Outcome], limit: int, give_back: list[str]
    ) -> list[OutboxMessage]:
        """One transaction: the finished outcomes, the claims given back, then the next batch from
        the channels not held. If it fails, the outcomes stay in flight and are written with the
        next attempt."""
        now, counted, claimed = self._clock(), DrainSummary(), []
        with self._database.unit_of_work() as session:
            for outcome in outcomes:
                record(session, outcome, now=now, summary=counted, fallback=self._fallback)
            outbox.release(session, message_ids=give_back)
            channels = self._open_channels()
            if limit > 0 and channels:
                claimed = outbox.claim_due(
                    session,
                    channels=channels,
                    now=now,
                    limit=limit,
                    lease_until=now + self._lease,
                    cipher=self._cipher,
                )
        self.summary.add(counted)
        return claimed

    def _commit_and_release(self, outcomes: list[Outcome], message_ids: list[str]) -> None:
        now, counted = self._clock(), DrainSummary()
        with self._database.unit_of_work() as session:
            for outcome in outcomes:
                record(session, outcome, now=now, summary=counted, fallback=self._fallback)
            outbox.release(session, message_ids=message_ids)
        self.summary.add(counted)

    def _next_wake(self) -> datetime | None:
        channels = self._open_channels()
        if not channels:
            return None
        with self._database.unit_of_work() as session:
            return outbox.next_wake(session, channels=channels, now=self._clock())

    async def _housekeeping(self) -> None:
        """Renew our leases, put back vanished senders' rows, cancel what is past ``not_after``;
        now and then the privacy housekeeping (:mod:`dialogen.privacy.housekeeping`)."""
        now = self._clock()
        if self._last_housekeeping is not None and now - self._last_housekeeping < self._lease / 3:
            return
        self._last_housekeeping = now
        own = (
            [m.id for m in self._ready]
            + list(self._running)
            + [o.message.id for o in self._finished]
        )

        def work() -> tuple[int, int]:
            with self._database.unit_of_work() as session:
                outbox.renew_leases(session, message_ids=own, lease_until=now + self._lease)
                recovered = outbox.recover_expired_leases(session, now=now, keep=own)
                return recovered, outbox.expire_overdue(session, now=now)

        recovered, expired = await asyncio.to_thread(work)
        if self._privacy is not None:
            await asyncio.to_thread(self._privacy.run_if_due)
        self.summary.recovered += recovered
        self.summary.expired += expired
        if recovered:
            log.warning(
                "outbox: %d message(s) of a stopped sender put back in the queue", recovered
            )
        if expired:
            log.info("outbox: %d message(s) past their send-by time cancelled", expired)
