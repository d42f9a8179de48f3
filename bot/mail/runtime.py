"""The mail channel of one process, built from :class:`bot.settings.Settings` in one place.

The configured transport moves the bytes; the inbound side reads the inbox and hands each mail to
the door (``MailPoller`` → ``MailInbound``); the outbound side is the outbox's mail delivery
(``MailOutboxTransport``), so step prompts, nudges, confirmations and the mail version of a
refused Teams message go out through the same transport. ``DIALOOG_MAIL_TRANSPORT=none`` switches
all of it off (the runtime then has no mail channel).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.mail.contracts import MailTransport, PollLease, PollStateStore
from bot.mail.inbound.intake import MailInbound
from bot.mail.inbound.poller import MailPoller
from bot.mail.inbound.readers import MailReaders
from bot.mail.mailbox import Mailbox
from bot.mail.outbound.delivery import MailOutboxTransport
from bot.mail.reply_token import TokenKeys
from bot.mail.transports import build_transport
from bot.settings import Settings
from dialogen.contracts import Clock
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import Event, Outcome
from dialogen.participation.reach import Reach
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.privacy.pseudonyms import Pseudonyms

__all__ = ["LOCAL_MAILBOX", "MailChannel", "build_mail_channel", "mailbox_for", "token_keys"]

log = logging.getLogger(__name__)

LOCAL_MAILBOX = "dialoog@localhost"  # the folder transport needs no real address


def mailbox_for(settings: Settings, dialogue: Dialogue) -> Mailbox:
    public = settings.mail_public_url or f"http://{settings.host}:{settings.port}"
    if not settings.local_mode and not public.startswith("https://"):
        log.warning(
            "DIALOOG_MAIL_PUBLIC_URL is not an https address: mail clients ignore a one-click "
            "unsubscribe link without https"
        )
    mailbox = Mailbox(
        address=(settings.mail_address or LOCAL_MAILBOX).lower(),
        from_name=settings.mail_from_name or dialogue.title,
        public_url=public,
        plus_addressing=settings.mail_plus_addressing,
    )
    if settings.mail_plus_addressing and not mailbox.carries_tokens:
        log.warning(
            "the mailbox name is too long for reply tokens in plus addresses; replies are "
            "recognised by subject and Message-ID only"
        )
    return mailbox


def token_keys(settings: Settings, pseudonyms: Pseudonyms) -> TokenKeys:
    """Keys from DIALOOG_MAIL_TOKEN_SECRET, else derived (one-way) from the pseudonym secret."""
    if settings.mail_token_secret is not None:
        return TokenKeys(settings.mail_token_secret.get_secret_value().encode())
    return TokenKeys.derived_from(pseudonyms)


@dataclass
class MailChannel:
    transport: MailTransport
    mailbox: Mailbox
    inbound: MailInbound
    delivery: MailOutboxTransport
    poller: MailPoller
    readers: MailReaders | None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def start_polling(self) -> None:
        """Poll the inbox in the background until :meth:`stop_polling` (``dialoog serve``)."""
        if self.readers is not None:
            await self.readers.start()
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.poller.run(self._stop), name="mail-poller")
        log.info(
            "mail channel started transport=%s read_workers=%d",
            self.transport.name,
            self.readers.workers if self.readers else 0,
        )

    async def stop_polling(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self.readers is not None:
            await asyncio.to_thread(self.readers.close)

    async def close(self) -> None:
        """After the outbox sender stopped: it sends through the same transport."""
        await self.transport.close()


def build_mail_channel(
    settings: Settings,
    *,
    handle: Callable[[Event], Outcome],
    reach: Reach,
    dialogue: Dialogue,
    keys: TokenKeys,
    clock: Clock,
    ping: Callable[[], bool],
    cipher: PayloadCipher,
    read_workers: int | None = None,
    lease: PollLease | None = None,
    poll_state: PollStateStore | None = None,
) -> MailChannel:
    """``read_workers``: reader processes (default ``DIALOOG_MAIL_READ_WORKERS``; 0 reads mail in
    this process, as a one-off ``dialoog mail poll`` does). ``cipher`` seals mail kept on disk:
    processed mail (with a retention) and quarantined mail. With several replicas ``lease`` says
    which one polls and ``poll_state`` keeps the transport's place where all of them see it."""
    transport = build_transport(settings, cipher=cipher, poll_state=poll_state)
    mailbox = mailbox_for(settings, dialogue)
    workers = settings.mail_read_workers if read_workers is None else read_workers
    readers = MailReaders(workers=workers, max_bytes=settings.mail_max_bytes) if workers else None
    inbound = MailInbound(
        handle=handle,
        dialogue=dialogue,
        mailbox=mailbox,
        keys=keys,
        clock=clock,
        max_bytes=settings.mail_max_bytes,
    )
    poller = MailPoller(
        transport=transport,
        inbound=inbound,
        quarantine=settings.mail_state_dir / "quarantine",
        interval=settings.mail_poll_interval,
        clock=clock,
        readers=readers,
        ping=ping,
        seal=cipher.seal_file,
        lease=lease,
    )
    delivery = MailOutboxTransport(
        transport=transport, reach=reach, dialogue=dialogue, mailbox=mailbox, keys=keys, clock=clock
    )
    return MailChannel(transport, mailbox, inbound, delivery, poller, readers)
