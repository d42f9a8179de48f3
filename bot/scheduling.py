"""Runs planning's scheduler inside the bot's aiohttp app (``create_app(extensions=...)``).

On start-up the app's service gives the database, the dialogue and the clock; the scheduler then
plans every step prompt, nudge and thank-you from the dialogue file (see ``planning.scheduler``).
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import SERVICE, SETTINGS
from planning.broadcasts import Broadcasts
from planning.scheduler import StepScheduler

log = logging.getLogger(__name__)

SCHEDULER = web.AppKey("scheduler", StepScheduler)


def broadcasts_for(app: web.Application) -> Broadcasts:
    """The broadcasts of this app (also what facilitator commands use)."""
    service = app[SERVICE]
    return Broadcasts(
        database=service.database,
        dialogue=service.dialogue,
        clock=service.clock,
        pseudonym_secret=app[SETTINGS].pseudonym_key(),
    )


def scheduler_extension(app: web.Application) -> None:
    """Start the scheduler with the app and stop it before the database closes."""

    async def start(app: web.Application) -> None:
        scheduler = StepScheduler(broadcasts_for(app))
        app[SCHEDULER] = scheduler
        if await scheduler.start():
            log.info("this process runs the scheduler")

    async def stop(app: web.Application) -> None:
        if SCHEDULER in app:
            await app[SCHEDULER].stop()

    app.on_startup.append(start)
    app.on_shutdown.append(stop)
