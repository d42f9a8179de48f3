"""The mail channel's parts, built from :class:`bot.settings.Settings` in one place."""

from __future__ import annotations

import logging

from bot.mail.contracts import MailTransport
from bot.mail.inbound.intake import MailInbound
from bot.mail.inbound.poller import MailPoller
from bot.mail.inbound.readers import MailReaders
from bot.mail.mailbox import Mailbox
from bot.mail.outbound.delivery import MailOutboxTransport
from bot.mail.reply_token import TokenKeys
from bot.settings import Settings
from dialogen.dialogue.definition import Dialogue
from dialogen.door.service import DialogueService

__all__ = [
    "mailbox_for",
    "token_keys",
    "inbound_for",
    "outbox_transport_for",
    "readers_for",
    "poller_for",
]

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


def token_keys(settings: Settings) -> TokenKeys:
    """Keys from DIALOOG_MAIL_TOKEN_SECRET, else derived (one-way) from the pseudonym secret."""
    if settings.mail_token_secret is not None:
        return TokenKeys(settings.mail_token_secret.get_secret_value().encode())
    return TokenKeys.derived_from(settings.pseudonym_key())


def inbound_for(settings: Settings, service: DialogueService) -> MailInbound:
    return MailInbound(
        service=service,
        mailbox=mailbox_for(settings, service.dialogue),
        keys=token_keys(settings),
        max_bytes=settings.mail_max_bytes,
        replies_per_hour=settings.mail_replies_per_hour,
    )


def readers_for(settings: Settings) -> MailReaders | None:
    """The reader processes ``DIALOOG_MAIL_READ_WORKERS`` asks for (None: read in-process);
    the caller starts and closes them."""
    if settings.mail_read_workers == 0:
        return None
    return MailReaders(workers=settings.mail_read_workers, max_bytes=settings.mail_max_bytes)


def poller_for(
    settings: Settings,
    service: DialogueService,
    transport: MailTransport,
    readers: MailReaders | None = None,
) -> MailPoller:
    return MailPoller(
        transport=transport,
        inbound=inbound_for(settings, service),
        quarantine=settings.mail_state_dir / "quarantine",
        interval=settings.mail_poll_interval,
        clock=service.clock,
        readers=readers,
    )


def outbox_transport_for(
    settings: Settings, service: DialogueService, transport: MailTransport
) -> MailOutboxTransport:
    return MailOutboxTransport(
        transport=transport,
        database=service.database,
        dialogue=service.dialogue,
        mailbox=mailbox_for(settings, service.dialogue),
        keys=token_keys(settings),
        pseudonym_secret=settings.pseudonym_key(),
        clock=service.clock,
    )
