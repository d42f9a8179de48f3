"""The transport for ``DIALOOG_MAIL_TRANSPORT=none``: nothing comes in, nothing goes out."""

from __future__ import annotations

from bot.mail.contracts import OutgoingMail, RawMail, SendResult


class DisabledTransport:
    name = "none"

    async def fetch_new(self) -> list[RawMail]:
        return []

    async def mark_processed(self, uid: str) -> None:
        return None

    async def send(self, mail: OutgoingMail) -> SendResult:
        return SendResult.failed("the mail channel is switched off (DIALOOG_MAIL_TRANSPORT=none)")

    async def close(self) -> None:
        return None
