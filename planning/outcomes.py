"""What became of each delivery, written to the outbox: sent, retry later, failed, or unreachable.

The sender records the outcomes of the deliveries that finished together, in one transaction,
and only then frees their places: until that commit such a message counts as in flight.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from dialogen.contracts import OutboxMessage
from dialogen.store import outbox
from planning.contracts import Delivery
from planning.retry import (
    UNREACHABLE_STATUSES,
    GiveUp,
    Hold,
    Retry,
    Unreachable,
    Verdict,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    message: OutboxMessage
    delivery: Delivery
    verdict: Verdict | None  # None: sent


class Fallback(Protocol):
    """Called in the transaction that marks a message unreachable (e.g. a Teams 403)."""

    def __call__(self, session: Any, message: OutboxMessage, now: datetime) -> None: ...


@dataclass
class DrainSummary:
    """What one run did; printed by ``dialoog outbox drain``."""

    sent: int = 0
    retried: int = 0
    held: int = 0  # waiting because the channel refused the bot's credentials
    failed: int = 0
    unreachable: int = 0
    expired: int = 0
    recovered: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # why messages failed or were unreachable

    def add(self, other: DrainSummary) -> None:
        for name in ("sent", "retried", "held", "failed", "unreachable", "expired", "recovered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason, number in other.reasons.items():
            self.reasons[reason] = self.reasons.get(reason, 0) + number


def record(
    session: Any,
    outcome: Outcome,
    *,
    now: datetime,
    summary: DrainSummary,
    fallback: Fallback | None,
) -> None:
    message, delivery, verdict = outcome.message, outcome.delivery, outcome.verdict
    if verdict is None:
        outbox.mark_sent(session, message_id=message.id, now=now, parts_sent=delivery.parts_sent)
        summary.sent += 1
        log.debug(
            "outbox message sent id=%s kind=%s attempt=%d",
            message.id,
            message.kind,
            message.attempts,
        )
        return
    if isinstance(verdict, Retry):
        outbox.mark_retry(
            session,
            message_id=message.id,
            retry_at=now + timedelta(seconds=verdict.delay),
            parts_sent=delivery.parts_sent,
            error=verdict.reason,
        )
        summary.retried += 1
        log.info(
            "outbox message will be retried id=%s reason=%s attempt=%d delay=%.1fs",
            message.id,
            verdict.reason,
            message.attempts,
            verdict.delay,
        )
        return
    if isinstance(verdict, Hold):
        outbox.mark_retry(
            session,
            message_id=message.id,
            retry_at=now + timedelta(seconds=verdict.delay),
            parts_sent=delivery.parts_sent,
            error=verdict.reason,
            counted=False,
        )
        summary.held += 1
        return
    summary.reasons[verdict.reason] = summary.reasons.get(verdict.reason, 0) + 1
    if isinstance(verdict, Unreachable):
        refused = (
            message.channel == "teams"
            and delivery.failure is not None
            and delivery.failure.status in UNREACHABLE_STATUSES
        )
        outbox.mark_unreachable(
            session,
            message_id=message.id,
            participant_id=message.participant_id,
            reason=f"unreachable on {message.channel}: {verdict.reason}",
            refused_by_teams=refused,
        )
        summary.unreachable += 1
        log.warning(
            "outbox recipient unreachable id=%s channel=%s reason=%s",
            message.id,
            message.channel,
            verdict.reason,
        )
        if fallback is not None:
            _fall_back(session, fallback, message, now)
        return
    assert isinstance(verdict, GiveUp)
    outbox.mark_failed(
        session, message_id=message.id, parts_sent=delivery.parts_sent, reason=verdict.reason
    )
    summary.failed += 1
    log.warning(
        "outbox message failed id=%s kind=%s reason=%s", message.id, message.kind, verdict.reason
    )


def _fall_back(session: Any, fallback: Fallback, message: OutboxMessage, now: datetime) -> None:
    """A broken fallback must not keep the outcome from being recorded."""
    try:
        with session.begin_nested():
            fallback(session, message, now)
    except Exception:  # noqa: BLE001
        log.exception("outbox fallback failed id=%s", message.id)
