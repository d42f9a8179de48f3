"""Inbound mail: one received message, start to end.

parse → drop mail loops, bounces (a hard one marks the address undeliverable) and auto-replies
(never answered) → find the reply token → check the sender is the participant's registered address
(else a polite mail to that registered address, nothing stored) → extract the new text → split it
into answers → the domain's one door, ``DialogueService.handle``, idempotent by Message-ID → the
confirmation queued in the outbox *in the same transaction*, so a crash can neither store answers
without their confirmation nor confirm twice.

A mail without a valid token, or from someone who is not a participant, stores nothing and gets a
polite reply: through the outbox to a participant's registered address, or (a stranger, who has no
participant row for the outbox) directly, rate-limited. Mail to one participant is limited to
``replies_per_hour`` answers per hour. Nothing here logs addresses or mail content.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.mail import messages as mmsg
from bot.mail.contracts import OutgoingMail, RawMail
from bot.mail.inbound.classify import MailKind, bounce_details, classify
from bot.mail.inbound.parse import InboundMail
from bot.mail.inbound.reading import ReadMail, domain_input, notes_for, read_mail
from bot.mail.inbound.stranger_replies import StrangerReplies
from bot.mail.mailbox import Mailbox, TokenSearch, find_token
from bot.mail.outbound.compose import MailExtras, compose_stranger_reply, mail_payload
from bot.mail.reply_token import Purpose, ReplyToken, TokenKeys
from dialogen.conversation.inputs import OptOut
from dialogen.conversation.replies import Say
from dialogen.door.service import NOT_THEIRS, DialogueService, Identity, InboundEvent, Outcome
from dialogen.store import mail_contacts, outbox
from dialogen.store.mail_contacts import MailContact

__all__ = ["MailInbound", "Processed", "CONFIRMATION", "NOTICE"]

log = logging.getLogger(__name__)

CHANNEL = "mail"
CONFIRMATION = "confirmation"  # outbox kind: the answer to a participant's mail
NOTICE = "mail_notice"  # outbox kind: nothing was stored, and why
_ANSWER_KINDS = (CONFIRMATION, NOTICE)


@dataclass(frozen=True)
class Processed:
    """What became of one mail: ``outcome`` for the log; ``reply`` a stranger's reply to send."""

    outcome: str
    reply: OutgoingMail | None = None


class MailInbound:
    def __init__(
        self,
        *,
        service: DialogueService,
        mailbox: Mailbox,
        keys: TokenKeys,
        max_bytes: int,
        replies_per_hour: int,
        strangers: StrangerReplies | None = None,
    ) -> None:
        self.service = service
        self.mailbox = mailbox
        self.keys = keys
        self.max_bytes = max_bytes
        self.replies_per_hour = replies_per_hour
        self.strangers = strangers or StrangerReplies()

    def process(self, raw: RawMail, read: ReadMail | None = None) -> Processed:
        """Handle one mail (blocking: database work); ``read`` is the mail as a reader process
        read it (``bot.mail.inbound.readers``), else it is read here. Raises only for infrastructure
        trouble (the database); the caller then leaves the mail unprocessed and tries again later."""
        if read is None:
            read = read_mail(raw.raw, max_bytes=self.max_bytes, server_text=raw.new_text)
        mail = read.mail
        event_id = mail.message_id or "sha256:" + hashlib.sha256(raw.raw).hexdigest()
        if mail.problems:
            log.info("mail has problems uid=%s problems=%s", raw.uid, ",".join(mail.problems))
        if mail.from_address and self.mailbox.is_own(mail.from_address):
            return Processed("own_mail")  # our own mail came back: never answer it (a loop)
        search = find_token(mail, self.mailbox, self.keys)
        kind = classify(mail)
        if kind is MailKind.BOUNCE:
            return self._bounce(mail, search)
        token = search.token
        if token is not None and token.purpose is Purpose.UNSUBSCRIBE:
            return self._unsubscribe(token, event_id)  # also when a provider sent it automatically
        if kind is MailKind.AUTO_REPLY:
            return Processed("auto_reply")
        if not mail.from_address:
            return Processed("no_sender")
        if token is None:
            return self._unlinked(mail, event_id, forged=search.forged)
        if read.new_text.strip():
            answered = self._answer(token, mail, read.new_text, event_id)
            if answered is not None:
                return answered
        # Nothing was stored: find out why, and tell the participant's registered address.
        with self.service.database.read() as connection:
            contact = mail_contacts.by_id(connection, token.participant_id)
        if contact is None:
            return self._unlinked(mail, event_id, forged=True)
        if (contact.email or "").lower() != mail.from_address:
            return self._notice(
                contact,
                mmsg.notice_wrong_sender(self._step_name(token.step_key)),
                event_id=event_id,
                outcome="wrong_sender",
                form_step=token.step_key,
            )
        if not read.new_text.strip():
            return self._notice(
                contact,
                mmsg.NOTICE_EMPTY,
                event_id=event_id,
                outcome="empty",
                form_step=token.step_key,
                mail=mail,
            )
        raise RuntimeError(
            "the participant's address changed while the mail was processed"
        )  # try again

    # ------------------------------------------------------------ the participant's answer

    def _answer(
        self, token: ReplyToken, mail: InboundMail, text: str, event_id: str
    ) -> Processed | None:
        """Through the domain's one door, as the participant the token names, from the address the
        mail came from; None when that address is not theirs (nothing happened)."""
        step = self.service.dialogue.step(token.step_key) if token.step_key else None
        message = domain_input(step, text)
        extras = MailExtras(
            in_reply_to=mail.message_id or None, references=mail.references, notes=notes_for(mail)
        )

        participant_id = token.participant_id

        def confirm(session: Any, outcome: Outcome) -> None:
            mail_contacts.note_mail_received(session, participant_id)
            if not outcome.replies or self._limited(session, participant_id):
                return
            outbox.enqueue(
                session,
                key=f"{CONFIRMATION}:{_digest(event_id)}",
                participant_id=participant_id,
                channel=CHANNEL,
                kind=CONFIRMATION,
                step_key=token.step_key,
                payload=mail_payload(outcome.replies, extras),
                now=self.service.clock(),
            )

        event = InboundEvent(
            Identity(channel=CHANNEL, email=mail.from_address),
            message,
            event_id=event_id,
            participant_id=participant_id,
        )
        outcome = self.service.handle(event, also=confirm)
        if outcome.event == NOT_THEIRS:
            return None
        return Processed("duplicate" if outcome.duplicate else f"handled:{outcome.event}")

    def _unsubscribe(self, token: ReplyToken, event_id: str) -> Processed:
        with self.service.database.read() as connection:
            contact = mail_contacts.by_id(connection, token.participant_id)
        if contact is None or not contact.email:
            return Processed("unsubscribe_unknown")
        self.service.handle(
            InboundEvent(
                Identity(channel=CHANNEL, email=contact.email), OptOut(), event_id=event_id
            )
        )
        return Processed("unsubscribed")

    # ------------------------------------------------------------ automatic mail

    def _bounce(self, mail: InboundMail, search: TokenSearch) -> Processed:
        details = bounce_details(mail)
        if details is None or not details.hard:
            return Processed("bounce_soft")
        with self.service.database.unit_of_work() as session:
            participant_id = search.token.participant_id if search.token else None
            if participant_id is None and details.recipient:
                found = mail_contacts.by_email(session, details.recipient)
                participant_id = found.participant_id if found else None
            if participant_id is None:
                return Processed("bounce_unknown")
            mail_contacts.mark_undeliverable(session, participant_id)
        return Processed("bounce_hard")

    # ------------------------------------------------------------ nothing stored: say why

    def _unlinked(self, mail: InboundMail, event_id: str, *, forged: bool) -> Processed:
        """No valid token: a participant's registered address gets a notice, a stranger a reply."""
        with self.service.database.read() as connection:
            contact = mail_contacts.by_email(connection, mail.from_address)
        if contact is None:
            now = self.service.clock()
            if not self.strangers.allow(mail.from_address, now):
                return Processed("unknown_sender:limited")
            reply = compose_stranger_reply(
                address=mail.from_address,
                mailbox=self.mailbox,
                dialogue=self.service.dialogue,
                in_reply_to=mail.message_id or None,
                now=now,
            )
            return Processed("unknown_sender", reply)
        step = self.service.dialogue.open_step(self.service.clock()) if contact.consent else None
        return self._notice(
            contact,
            mmsg.NOTICE_NO_REFERENCE,
            event_id=event_id,
            outcome="forged_token" if forged else "no_token",
            form_step=step.key if step else None,
            mail=mail,
        )

    def _notice(
        self,
        contact: MailContact,
        text: str,
        *,
        event_id: str,
        outcome: str,
        form_step: str | None,
        mail: InboundMail | None = None,
    ) -> Processed:
        """A mail to the participant's registered address; threaded only when they sent ``mail``."""
        extras = MailExtras(
            in_reply_to=(mail.message_id or None) if mail else None,
            references=mail.references if mail else (),
            form_step=form_step,
            notes=notes_for(mail) if mail else (),
        )
        if not contact.email or contact.opted_out:
            return Processed(f"{outcome}:not_answered")
        with self.service.database.unit_of_work() as session:
            if self._limited(session, contact.participant_id):
                return Processed(f"{outcome}:limited")
            outbox.enqueue(
                session,
                key=f"{NOTICE}:{_digest(event_id)}",
                participant_id=contact.participant_id,
                channel=CHANNEL,
                kind=NOTICE,
                step_key=form_step,
                payload=mail_payload((Say(text),), extras),
                now=self.service.clock(),
            )
        return Processed(outcome)

    def _limited(self, session: Any, participant_id: str) -> bool:
        since = self.service.clock() - timedelta(hours=1)
        sent = mail_contacts.replies_since(
            session, participant_id=participant_id, kinds=_ANSWER_KINDS, since=since
        )
        if sent >= self.replies_per_hour:
            log.warning(
                "mail answer not sent: %d answers to this participant in the last hour", sent
            )
            return True
        return False

    def _step_name(self, step_key: str | None) -> str | None:
        step = self.service.dialogue.step(step_key) if step_key else None
        return step.name if step else None


def _digest(event_id: str) -> str:
    return hashlib.sha256(event_id.encode("utf-8", "surrogateescape")).hexdigest()[:40]
