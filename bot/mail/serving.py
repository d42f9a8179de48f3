"""The mail channel inside ``dialoog serve`` (an extension for ``create_app``).

It builds the configured transport once, polls the inbox while the bot runs (``MailPoller``), and
offers the outbox sender its mail delivery (:func:`mail_outbox_transports`), so step prompts,
nudges, confirmations and the mail version of a refused Teams message go out through the same
transport. ``DIALOOG_MAIL_TRANSPORT=none`` switches all of it off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web

from bot.mail.contracts import MailTransport
from bot.mail.inbound.poller import MailPoller
from bot.mail.outbound.delivery import MailOutboxTransport
from bot.mail.setup import outbox_transport_for, poller_for, readers_for
from bot.mail.transports import build_transport

__all__ = ["MAIL", "MailRuntime", "mail_extension", "mail_outbox_transports"]

log = logging.getLogger(__name__)


@dataclass
class MailRuntime:
    transport: MailTransport
    outbox: MailOutboxTransport
    poller: MailPoller


MAIL = web.AppKey("mail", MailRuntime)


def mail_extension(app: web.Application) -> None:
    from bot.app import SERVICE, SETTINGS  # the app module imports nothing from here

    settings = app[SETTINGS]
    if settings.mail_transport == "none":
        log.info("mail channel off (DIALOOG_MAIL_TRANSPORT=none)")
        return
    service = app[SERVICE]
    transport = build_transport(settings)
    readers = readers_for(settings)
    poller = poller_for(settings, service, transport, readers)
    app[MAIL] = MailRuntime(transport, outbox_transport_for(settings, service, transport), poller)

    async def polling(app: web.Application) -> AsyncIterator[None]:
        if readers is not None:
            await readers.start()
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop), name="mail-poller")
        log.info(
            "mail channel started transport=%s read_workers=%d",
            transport.name,
            readers.workers if readers else 0,
        )
        yield
        stop.set()
        await task
        if readers is not None:
            await asyncio.to_thread(readers.close)

    async def close(app: web.Application) -> None:
        await (
            transport.close()
        )  # after the outbox sender stopped (on_cleanup runs after cleanup_ctx)

    app.cleanup_ctx.append(polling)
    app.on_cleanup.append(close)


def mail_outbox_transports(app: web.Application) -> tuple[MailOutboxTransport, ...]:
    """The mail delivery for the outbox sender, when the mail channel runs in this app."""
    return (app[MAIL].outbox,) if MAIL in app else ()
