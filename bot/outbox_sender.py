"""The outbox sender of one process, built from the runtime: planning's ``OutboxSender`` with the
channels' deliveries (Teams proactive messages, mail), paced to the limits in the settings.

``dialoog serve`` runs it beside the bot (:mod:`bot.serving`); ``dialoog outbox drain`` runs it on
its own (:mod:`bot.cli.outbox`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.settings import Settings
from dialogen.contracts import Clock
from dialogen.privacy.housekeeping import PrivacyHousekeeping
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.store.database import Database
from planning.contracts import Transport
from planning.pacing import ChannelLimits, Pacing, Seconds, parse_windows
from planning.retry import RetryPolicy
from planning.sender import MailVersion, OutboxSender, Sleep
from planning.shared_pacing import SharedPacing

if TYPE_CHECKING:
    from bot.runtime import Runtime


def channel_limits(settings: Settings) -> dict[str, ChannelLimits]:
    return {
        "teams": ChannelLimits(
            per_conversation=parse_windows(settings.outbox_teams_conversation_limits),
            per_app=parse_windows(settings.outbox_teams_app_limits),
        ),
        "mail": ChannelLimits(per_app=parse_windows(settings.outbox_mail_limits)),
    }


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.outbox_max_attempts,
        base_delay=settings.outbox_backoff_seconds,
        max_delay=max(settings.outbox_backoff_max_seconds, settings.outbox_backoff_seconds),
    )


def build_sender(
    runtime: Runtime,
    *,
    channels: Collection[str] = ("teams", "mail"),
    sleep: Sleep = asyncio.sleep,
    pacing_clock: Seconds = time.monotonic,
) -> OutboxSender:
    """The sender for ``channels`` (mail only when the runtime has a mail channel; with mail, a
    Teams 403 queues the mail version).

    ``pacing_clock`` measures the gaps between requests (a monotonic clock, so a wall-clock jump
    cannot stall or rush the sending) and must run at the pace of ``sleep``."""
    transports: list[Transport] = []
    if "teams" in channels:
        transports.append(runtime.teams.delivery)
    if "mail" in channels and runtime.mail is not None:
        transports.append(runtime.mail.delivery)
    return sender_for(
        runtime.settings,
        runtime.database,
        transports,
        cipher=runtime.sealing.outbox,
        clock=runtime.clock,
        sleep=sleep,
        pacing_clock=pacing_clock,
    )


def pacing_for(
    settings: Settings, database: Database, *, sleep: Sleep, pacing_clock: Seconds
) -> Pacing:
    """This process' pacing; on PostgreSQL shared with the other replicas through the database."""
    limits = channel_limits(settings)
    margin = settings.outbox_pacing_margin
    if database.is_sqlite:
        return Pacing(limits, now=pacing_clock, sleep=sleep, margin=margin)
    return SharedPacing(limits, database=database, now=pacing_clock, sleep=sleep, margin=margin)


def sender_for(
    settings: Settings,
    database: Database,
    transports: Sequence[Transport],
    *,
    cipher: PayloadCipher,
    clock: Clock,
    sleep: Sleep = asyncio.sleep,
    pacing_clock: Seconds = time.monotonic,
) -> OutboxSender:
    """The sender with exactly these transports, paced and retried as the settings say;
    ``cipher`` opens the payloads (``runtime.sealing.outbox``)."""
    has_mail = any(t.channel == "mail" for t in transports)
    return OutboxSender(
        database=database,
        transports=transports,
        pacing=pacing_for(settings, database, sleep=sleep, pacing_clock=pacing_clock),
        clock=clock,
        sleep=sleep,
        cipher=cipher,
        retry=retry_policy(settings),
        fallback=MailVersion(cipher) if has_mail else None,
        privacy=PrivacyHousekeeping(
            database=database,
            clock=clock,
            outbox_retention=timedelta(days=settings.outbox_keep_days),
            every=timedelta(minutes=settings.privacy_housekeeping_minutes),
        ),
        concurrency=settings.outbox_concurrency,
        lease_seconds=settings.outbox_lease_seconds,
        poll_seconds=settings.outbox_poll_seconds,
    )
