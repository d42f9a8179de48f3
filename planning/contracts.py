"""What a channel's delivery needs to know of planning: the outbox transport contract.

The sender (:mod:`planning.sender`) claims queued messages and hands each to the transport of its
channel. A transport renders and sends it, calling ``await pace(key)`` right before every request
(the pacer keeps to the channel's limits), and answers with a :class:`Delivery`: how many parts
arrived and, if something failed, a :class:`SendFailure` that the retry policy
(:mod:`planning.retry`) judges. Channels import this module, nothing else of planning.
"""

from __future__ import annotations

import random as random_module
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from dialogen.contracts import OutboxMessage

Pace = Callable[[str], Awaitable[None]]
"""Call ``await pace(key)`` right before each request (``key``: the Teams conversation, or the
mailbox): it waits until the request is within the limits and counts it (rejected ones too)."""


@dataclass(frozen=True)
class SendFailure:
    """One failed attempt, as a transport reports it. ``reason`` is short and holds no personal
    data (e.g. ``"HTTP 503"`` or ``"HTTP 403 ConversationBlockedByUser"``)."""

    status: int | None  # HTTP status; None when no answer came (network error, timeout)
    reason: str
    retry_after: float | None = None  # seconds the server asked to wait (429 Retry-After)
    unreachable: bool = False  # the channel cannot reach this recipient at all (no reference, 403)
    permanent: bool = False  # retrying cannot help (e.g. the payload cannot be read)


@dataclass(frozen=True)
class Delivery:
    """What a transport did with one message."""

    parts_sent: int  # parts (activities, mails) that arrived, earlier attempts included
    failure: SendFailure | None = None  # None: everything arrived
    conversation: str | None = None  # the pacing key used, so a 429 can hold that conversation


class Transport(Protocol):
    """A channel that can deliver outbox messages. It must call ``pace`` before every request."""

    @property
    def channel(self) -> str: ...

    async def deliver(self, message: OutboxMessage, pace: Pace) -> Delivery: ...


class PreparingTransport(Transport, Protocol):
    """A transport that looks up the recipients of each claimed batch in one go before its
    deliveries start (``deliver`` uses what ``prepare`` found)."""

    async def prepare(self, messages: Sequence[OutboxMessage]) -> None: ...


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - (now or datetime.now(UTC))).total_seconds(), 0.0)


def backoff_delay(
    attempts: int,
    *,
    base: float,
    cap: float,
    random: Callable[[], float] = random_module.random,
) -> float:
    """Exponential backoff with "equal jitter": after ``attempts`` failed attempts, half the step
    fixed and half random, the step doubling from ``base`` up to ``cap`` seconds."""
    step = min(cap, base * 2 ** max(attempts - 1, 0))
    return step / 2 + step / 2 * random()
