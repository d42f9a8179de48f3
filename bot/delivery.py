"""Delivery of the outbox: the sender built from settings, with the channels' transports.

``dialoog serve`` runs it beside the bot (:func:`outbox_extension`); ``dialoog outbox drain``
runs it on its own (``bot/cli_outbox.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot.settings import Settings
from bot.teams.auth import bot_framework_authentication
from bot.teams.proactive import TeamsProactiveTransport
from dialogen.door.service import Clock
from dialogen.store.database import Database
from planning.pacing import ChannelLimits, Pacing, Seconds, parse_windows
from planning.retry import RetryPolicy
from planning.sender import OutboxSender, Sleep, Transport, queue_mail_version

log = logging.getLogger(__name__)


def _system_clock() -> datetime:
    return datetime.now(UTC)


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
    settings: Settings,
    database: Database,
    *,
    clock: Clock = _system_clock,
    sleep: Sleep = asyncio.sleep,
    pacing_clock: Seconds = time.monotonic,
    more_transports: Sequence[Transport] = (),
    teams: bool = True,
) -> OutboxSender:
    """The sender with the Teams transport (unless ``teams`` is false), plus ``more_transports``
    (the mail channel's; with a mail transport, a Teams 403 queues the mail version).

    ``clock`` dates the outbox rows; ``pacing_clock`` measures the gaps between requests (a
    monotonic clock, so a wall-clock jump cannot stall or rush the sending) and must run at the
    pace of ``sleep``."""
    transports: list[Transport] = list(more_transports)
    if teams:
        transports.insert(
            0,
            TeamsProactiveTransport(
                adapter=CloudAdapter(bot_framework_authentication(settings)),
                database=database,
                app_id=settings.app_id,
                clock=clock,
            ),
        )
    has_mail = any(t.channel == "mail" for t in transports)
    return OutboxSender(
        database=database,
        transports=transports,
        pacing=Pacing(
            channel_limits(settings),
            now=pacing_clock,
            sleep=sleep,
            margin=settings.outbox_pacing_margin,
        ),
        clock=clock,
        sleep=sleep,
        retry=retry_policy(settings),
        fallback=queue_mail_version if has_mail else None,
        concurrency=settings.outbox_concurrency,
        lease_seconds=settings.outbox_lease_seconds,
        poll_seconds=settings.outbox_poll_seconds,
    )


def outbox_extension(app: web.Application) -> None:
    """For ``create_app(extensions=...)``: drain the outbox while the bot runs, stop cleanly."""
    from bot.app import SERVICE, SETTINGS  # the app module imports nothing from here

    settings = app[SETTINGS]
    if not settings.outbox_enabled:
        log.info("outbox sender disabled (DIALOOG_OUTBOX_ENABLED=false)")
        return

    async def sender_running(app: web.Application) -> AsyncIterator[None]:
        from bot.mail.serving import (
            mail_outbox_transports,  # the mail channel's delivery, if it runs
        )

        service = app[SERVICE]
        sender = build_sender(
            settings,
            service.database,
            clock=service.clock,
            more_transports=mail_outbox_transports(app),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(sender.run(stop), name="outbox-sender")
        log.info("outbox sender started channels=%s", ",".join(sender.channels))
        yield
        stop.set()
        try:
            await task  # run() lets messages in flight finish (bounded) and gives back the rest
        except Exception:  # noqa: BLE001 - a crashed sender must not block the shutdown
            log.exception("outbox sender ended with an error")
        log.info(
            "outbox sender stopped sent=%d retried=%d failed=%d",
            sender.summary.sent,
            sender.summary.retried,
            sender.summary.failed,
        )

    app.cleanup_ctx.append(sender_running)
