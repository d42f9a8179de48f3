"""What ``dialoog serve`` runs beside the endpoints, started and stopped with the aiohttp app, as
the settings enable it: the outbox sender, the scheduler (the calendar's step prompts, nudges and
thank-yous) and the mail channel's inbox poller.

Shutdown order: the poller stops first, then the sender lets its deliveries in flight finish, then
the mail transport (the sender's too) closes and the database goes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot.outbox_sender import build_sender
from bot.runtime import Runtime
from planning.scheduler import StepScheduler

log = logging.getLogger(__name__)

SCHEDULER = web.AppKey("scheduler", StepScheduler)


def run_beside(app: web.Application, runtime: Runtime) -> None:
    settings = runtime.settings
    if settings.outbox_enabled:
        app.cleanup_ctx.append(_sender(runtime))
    else:
        log.info("outbox sender disabled (DIALOOG_OUTBOX_ENABLED=false)")
    if settings.scheduler_enabled:
        _add_scheduler(app, runtime)
    mail = runtime.mail
    if mail is not None:

        async def polling(app: web.Application) -> AsyncIterator[None]:
            await mail.start_polling()
            yield
            await mail.stop_polling()

        async def close(app: web.Application) -> None:
            await mail.close()  # on_cleanup runs after every cleanup_ctx: the sender is done

        app.cleanup_ctx.append(polling)
        app.on_cleanup.append(close)
    else:
        log.info("mail channel off (DIALOOG_MAIL_TRANSPORT=none)")


def _sender(runtime: Runtime) -> Callable[[web.Application], AsyncIterator[None]]:
    async def sender_running(app: web.Application) -> AsyncIterator[None]:
        sender = build_sender(runtime)
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

    return sender_running


def _add_scheduler(app: web.Application, runtime: Runtime) -> None:
    """Start the scheduler with the app and stop it before the database closes."""

    async def start(app: web.Application) -> None:
        watch = runtime.facilitation.representation
        scheduler = StepScheduler(
            runtime.broadcasts, alerts=watch.queue_alerts if watch is not None else None
        )
        app[SCHEDULER] = scheduler
        if await scheduler.start():
            log.info("this process runs the scheduler")

    async def stop(app: web.Application) -> None:
        if SCHEDULER in app:
            await app[SCHEDULER].stop()

    app.on_startup.append(start)
    app.on_shutdown.append(stop)
