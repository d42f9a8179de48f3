"""IMAP for incoming and SMTP for outgoing mail: the transport for every mail system that is not
reached through Microsoft Graph or EWS. Polling (no IDLE): the poller calls :meth:`fetch_new`
every ``mail_poll_interval`` seconds, which is well within a minute of a reply arriving."""

from __future__ import annotations

from bot.mail.contracts import OutgoingMail, RawMail, SendResult
from bot.mail.transports.imap_inbox import ImapConfig, ImapInbox
from bot.mail.transports.smtp_sender import SmtpConfig, SmtpSender

__all__ = ["ImapConfig", "ImapSmtpTransport", "SmtpConfig"]


class ImapSmtpTransport:
    name = "imap"

    def __init__(self, imap: ImapConfig, smtp: SmtpConfig) -> None:
        self.inbox = ImapInbox(imap)
        self.sender = SmtpSender(smtp)

    async def fetch_new(self) -> list[RawMail]:
        return await self.inbox.fetch_new()

    async def mark_processed(self, uid: str) -> None:
        await self.inbox.mark(uid)

    async def send(self, mail: OutgoingMail) -> SendResult:
        return await self.sender.send(mail)

    async def close(self) -> None:
        await self.inbox.close()
        await self.sender.close()
