"""The outbox's mail channel (``planning.sender.MailTransport``): one queued message, one mail.

``deliver`` looks the participant up (address, opt-out, a bounced address), renders the queued
replies with :mod:`bot.mail.outbound.compose` — marking the step's questions they already
answered — and hands the mail to the configured transport after ``await pace(mailbox)``, which
keeps to the mailbox's limits (Exchange Online: 30 mails a minute, 10,000 recipients a day).

Outcomes for the sender's retry policy: a busy or unreachable server is retried (with the server's
``Retry-After``), a refused recipient makes the participant unreachable by mail (and marks the
address undeliverable), a mail that can never be sent fails with its reason.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Literal

from bot.mail.contracts import MailTransport, OutgoingMail, SendOutcome
from bot.mail.mailbox import Mailbox
from bot.mail.outbound.body import form_step_of
from bot.mail.outbound.compose import Recipient, compose
from bot.mail.reply_token import TokenKeys
from dialogen.contracts import Clock, OutboxMessage
from dialogen.conversation.offers import Offer
from dialogen.conversation.options import OptionLists, as_asked
from dialogen.conversation.reply_codec import decode_replies
from dialogen.dialogue.definition import Dialogue
from dialogen.door.mail_intake import ANSWER_KINDS
from dialogen.door.queued import MailContext
from dialogen.participation.reach import MailTarget, Reach
from planning.contracts import Delivery, Pace, SendFailure

__all__ = ["MailOutboxTransport"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Target:
    recipient: Recipient
    answered: frozenset[str]
    batch: tuple[Offer, ...]
    options: OptionLists
    dialogue: Dialogue | None


class MailOutboxTransport:
    channel: Literal["mail"] = "mail"

    def __init__(
        self,
        *,
        transport: MailTransport,
        reach: Reach,
        dialogue: Dialogue,
        mailbox: Mailbox,
        keys: TokenKeys,
        clock: Clock,
    ) -> None:
        self._transport = transport
        self._reach = reach
        self._dialogue = dialogue
        self._mailbox = mailbox
        self._keys = keys
        self._clock = clock

    async def deliver(self, message: OutboxMessage, pace: Pace) -> Delivery:
        if message.parts_sent >= 1:
            return Delivery(message.parts_sent)  # the mail went out in an earlier attempt
        try:
            replies = decode_replies(message.payload)
            context = MailContext.from_payload(message.payload)
        except (ValueError, KeyError, TypeError):
            return Delivery(0, SendFailure(None, "payload could not be read", permanent=True))
        step_key = context.form_step or form_step_of(replies)
        found = await asyncio.to_thread(
            self._reach.mail_target, message.participant_id, step_key=step_key
        )
        target = _usable(found, message)
        if isinstance(target, SendFailure):
            return Delivery(0, target)
        try:
            mail = compose(
                kind=message.kind,
                step_key=message.step_key,
                replies=replies,
                context=context,
                recipient=target.recipient,
                mailbox=self._mailbox,
                keys=self._keys,
                dialogue=as_asked(target.dialogue or self._dialogue, target.options),
                answered=target.answered,
                batch=target.batch,
                unique=message.id,
                now=self._clock(),
            )
        except (ValueError, KeyError, TypeError) as error:
            log.error("mail could not be rendered id=%s error=%s", message.id, type(error).__name__)
            return Delivery(
                0,
                SendFailure(
                    None, f"mail could not be rendered ({type(error).__name__})", permanent=True
                ),
            )
        await pace(self._mailbox.address)
        return await self._send(message, mail)

    async def _send(self, message: OutboxMessage, mail: OutgoingMail) -> Delivery:
        result = await self._transport.send(mail)
        if result.outcome is SendOutcome.SENT:
            return Delivery(1)
        reason = result.reason or "mail transport refused"
        if result.outcome is SendOutcome.RETRY:
            return Delivery(0, SendFailure(None, reason, retry_after=result.retry_after))
        if reason.startswith("recipient refused"):
            await asyncio.to_thread(self._reach.mark_undeliverable, message.participant_id)
            return Delivery(0, SendFailure(None, reason, unreachable=True))
        return Delivery(0, SendFailure(None, reason, permanent=True))


def _usable(found: MailTarget | None, message: OutboxMessage) -> _Target | SendFailure:
    if found is None:
        return SendFailure(None, "participant no longer exists", permanent=True)
    contact = found.contact
    if not contact.email:
        return SendFailure(None, "no e-mail address", unreachable=True)
    if contact.undeliverable:
        return SendFailure(None, "e-mail address bounced before", unreachable=True)
    if contact.opted_out and message.kind not in ANSWER_KINDS:
        return SendFailure(None, "opted out", permanent=True)
    recipient = Recipient(contact.participant_id, contact.email, contact.name)
    return _Target(recipient, found.answered, found.batch, found.options, found.dialogue)
