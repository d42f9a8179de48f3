"""Inbound mail: one received message, translated for the door.

Read (parse, extract the new text — possibly already done in a reader process), recognise our own
mail coming back, bounces and auto-replies, find and verify the reply token, split the new text
into answers to the step the token names: that is a :class:`~dialogen.door.events.MailReceived`.
What happens to it — stored, confirmed, a notice, nothing — is decided behind the door
(:mod:`dialogen.door.mail_intake`); the one thing sent from here is the polite reply to a stranger
(someone without a participant row, whom the outbox cannot hold), when the door says so.
Nothing here logs addresses or mail content.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.mail.contracts import OutgoingMail, RawMail
from bot.mail.inbound.classify import MailKind as ReadKind
from bot.mail.inbound.classify import bounce_details, classify
from bot.mail.inbound.reading import ReadMail, domain_input, notes_for, read_mail
from bot.mail.mailbox import Mailbox, find_token
from bot.mail.outbound.compose import compose_stranger_reply
from bot.mail.reply_token import Purpose, TokenKeys
from dialogen.contracts import Clock
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import Event, MailKind, MailReceived, Outcome, VouchedToken

__all__ = ["MailInbound", "Processed", "to_event"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Processed:
    """What became of one mail: ``outcome`` for the log; ``reply`` a stranger's reply to send."""

    outcome: str
    reply: OutgoingMail | None = None


def to_event(
    raw: RawMail, read: ReadMail, *, mailbox: Mailbox, keys: TokenKeys, dialogue: Dialogue
) -> MailReceived:
    """What this mail is, for the door (pure apart from reading the clock-free token keys)."""
    mail = read.mail
    event_id = mail.message_id or "sha256:" + hashlib.sha256(raw.raw).hexdigest()
    if mail.problems:
        log.info("mail has problems uid=%s problems=%s", raw.uid, ",".join(mail.problems))
    message_id, references = mail.message_id or None, mail.references  # to thread the answer
    if mail.from_address and mailbox.is_own(mail.from_address):
        return MailReceived(
            MailKind.OWN_MAIL,
            event_id,
            mail.from_address,
            message_id=message_id,
            references=references,
        )
    search = find_token(mail, mailbox, keys)
    token = None
    if search.token is not None:
        token = VouchedToken(
            search.token.participant_id,
            search.token.step_key,
            unsubscribe=search.token.purpose is Purpose.UNSUBSCRIBE,
        )
    kind = classify(mail)
    if kind is ReadKind.BOUNCE:
        bounce = bounce_details(mail)
        return MailReceived(
            MailKind.BOUNCE,
            event_id,
            mail.from_address,
            token=token,
            hard_bounce=bounce is not None and bounce.hard,
            bounce_recipient=bounce.recipient if bounce else None,
            message_id=message_id,
            references=references,
        )
    step = dialogue.step(token.step_key) if token and token.step_key else None
    return MailReceived(
        MailKind.AUTO_REPLY if kind is ReadKind.AUTO_REPLY else MailKind.REPLY,
        event_id,
        mail.from_address,
        token=token,
        forged=search.forged,
        message=domain_input(step, read.new_text) if read.new_text.strip() else None,
        notes=notes_for(mail),
        message_id=message_id,
        references=references,
    )


class MailInbound:
    """One mail: read it (unless a reader process did), translate it, hand it to the door."""

    def __init__(
        self,
        *,
        handle: Callable[[Event], Outcome],
        dialogue: Dialogue,
        mailbox: Mailbox,
        keys: TokenKeys,
        clock: Clock,
        max_bytes: int,
    ) -> None:
        self.handle = handle
        self.dialogue = dialogue
        self.mailbox = mailbox
        self.keys = keys
        self.clock = clock
        self.max_bytes = max_bytes

    def process(self, raw: RawMail, read: ReadMail | None = None) -> Processed:
        """Handle one mail (blocking: the door does database work). Raises only for
        infrastructure trouble (the database); the caller then leaves the mail unprocessed and
        tries again later."""
        if read is None:
            read = read_mail(raw.raw, max_bytes=self.max_bytes, server_text=raw.new_text)
        event = to_event(raw, read, mailbox=self.mailbox, keys=self.keys, dialogue=self.dialogue)
        outcome = self.handle(event)
        reply = None
        if outcome.stranger_reply is not None:
            reply = compose_stranger_reply(
                address=outcome.stranger_reply.address,
                mailbox=self.mailbox,
                dialogue=self.dialogue,
                in_reply_to=outcome.stranger_reply.in_reply_to,
                now=self.clock(),
                replies=outcome.stranger_reply.replies,
            )
        return Processed(outcome.event, reply)
