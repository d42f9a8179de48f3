"""What happens to a received mail: the mail intake rules, behind the door.

The mail channel reads the mail (parses it, finds and verifies the reply token, extracts what the
sender newly wrote, splits it into answers) and hands over a :class:`MailReceived`. Here:

- our own mail coming back, auto-replies and soft bounces are never answered; a hard bounce marks
  the participant's address undeliverable;
- a token for unsubscribing opts the participant out (also when a provider sent it by itself);
- without a valid token nothing is stored: a participant's registered address gets a notice, a
  stranger a polite reply (rate-limited, see :mod:`dialogen.door.stranger_replies`);
- with a token, the mail must come from the participant's registered address (else that address
  gets a notice) and hold text (else a notice); then it is the participant's turn through the
  same rules as a chat, and the confirmation is queued in the outbox **in the same unit of work**,
  so a crash can neither store answers without their confirmation nor confirm twice.

At most ``replies_per_hour`` confirmations and notices go to one participant per hour (mail-loop
protection). Nothing here logs an address or the mail's content.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from dialogen.contracts import Clock
from dialogen.conversation.inputs import Input, OptOut
from dialogen.conversation.replies import Reply, Say
from dialogen.dialogue.definition import Dialogue
from dialogen.door import messages as dmsg
from dialogen.door.events import (
    Identity,
    MailKind,
    MailReceived,
    Outcome,
    StrangerReply,
    VouchedToken,
)
from dialogen.door.queued import MailContext, mail_payload
from dialogen.door.stranger_replies import StrangerReplies
from dialogen.door.turns import Session, Turns
from dialogen.facilitation.actions import FacilitatorReply, as_plain_replies
from dialogen.facilitation.commands import is_facilitator_command
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.store import mail_contacts, outbox
from dialogen.store import participants as participant_store
from dialogen.store.database import Database
from dialogen.store.mail_contacts import MailContact

log = logging.getLogger(__name__)

CHANNEL = "mail"
CONFIRMATION = "confirmation"  # outbox kind: the answer to a participant's mail
NOTICE = "mail_notice"  # outbox kind: nothing was stored, and why
ANSWER_KINDS = (CONFIRMATION, NOTICE)
"""Kinds that answer a mail the participant sent: these still go out after an opt-out."""

Facilitate = Callable[[Identity, Input], Outcome | None]
"""The door's router: the outcome of a facilitator command, or None for a participant's turn."""


class MailIntake:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        turns: Turns,
        clock: Clock,
        cipher: PayloadCipher,
        facilitate: Facilitate,
        replies_per_hour: int = 5,
        strangers: StrangerReplies | None = None,
    ) -> None:
        self.facilitate = facilitate
        self.cipher = cipher  # seals what is queued: a confirmation quotes the answers
        self.database = database
        self.dialogue = dialogue
        self.turns = turns
        self.clock = clock
        self.replies_per_hour = replies_per_hour
        self.strangers = strangers or StrangerReplies()

    def receive(self, mail: MailReceived) -> Outcome:
        if mail.kind is MailKind.OWN_MAIL:
            return _done("own_mail")  # our own mail came back: never answer it (a loop)
        if mail.kind is MailKind.BOUNCE:
            return self._bounce(mail)
        token = mail.token
        if token is not None and token.unsubscribe:
            return self._unsubscribe(token, mail.event_id)
        if mail.kind is MailKind.AUTO_REPLY:
            return _done("auto_reply")
        if not mail.from_address:
            return _done("no_sender")
        if token is None:
            return self._unlinked(mail, forged=mail.forged)
        return self._reply(mail, token, mail.from_address)

    # ------------------------------------------------------------ the participant's answer

    def _reply(self, mail: MailReceived, token: VouchedToken, sender: str) -> Outcome:
        """As the participant the token names, from the address the mail came from."""
        now = self.clock()
        identity = Identity(channel=CHANNEL, email=sender)
        message = mail.message
        self.turns.prepare(now)  # not under the write lock
        with self.database.unit_of_work() as session:
            row = participant_store.lock(session, token.participant_id)
            if row is None:
                pass  # the token's participant no longer exists: as if there were no token
            elif (row.email or "").lower() != sender.lower():
                notice = dmsg.notice_wrong_sender(self._step_name(token.step_key))
                return self._notice(
                    session,
                    mail_contacts.contact(row),
                    notice,
                    event_id=mail.event_id,
                    outcome="wrong_sender",
                    context=MailContext(form_step=token.step_key),
                )
            elif message is None:
                return self._notice(
                    session,
                    mail_contacts.contact(row),
                    dmsg.NOTICE_EMPTY,
                    event_id=mail.event_id,
                    outcome="empty",
                    context=self._thread(mail, form_step=token.step_key),
                )
            elif not is_facilitator_command(message):
                outcome = self.turns.take(
                    session,
                    row,
                    identity=identity,
                    message=message,
                    now=now,
                    event_id=mail.event_id,
                )
                if outcome.duplicate:
                    return Outcome(row.id, (), duplicate=True, event="duplicate")
                if outcome.erased:  # nothing can be queued for them now: answered directly
                    farewell = StrangerReply(
                        sender, mail.message_id, replies=as_plain_replies(outcome.replies)
                    )
                    return Outcome(
                        row.id,
                        outcome.replies,
                        event=f"handled:{outcome.event}",
                        stranger_reply=farewell,
                        erased=True,
                    )
                mail_contacts.note_mail_received(session, row.id)
                self._confirm(session, row.id, outcome.replies, mail, token, now=now)
                return Outcome(row.id, outcome.replies, event=f"handled:{outcome.event}")
        if row is None or message is None:
            return self._unlinked(mail, forged=True)
        # A facilitator command (checked against the facilitator list there, and audited), outside
        # the participant's lock: its answer goes back as text, in a unit of work of its own.
        routed = self.facilitate(identity, message)
        if routed is None:  # cannot happen: is_facilitator_command said it is one
            return _done("not_a_command")
        with self.database.unit_of_work() as session:
            self._confirm(session, row.id, routed.replies, mail, token, now=now)
        return Outcome(row.id, routed.replies, event=f"facilitator:{routed.event}")

    def _confirm(
        self,
        session: Session,
        participant_id: str,
        replies: tuple[Reply | FacilitatorReply, ...],
        mail: MailReceived,
        token: VouchedToken,
        *,
        now: datetime,
    ) -> None:
        """Queue the answer to the participant's mail (idempotent by the mail's id)."""
        if not replies or self._limited(session, participant_id):
            return
        outbox.enqueue(
            session,
            key=f"{CONFIRMATION}:{_digest(mail.event_id)}",
            participant_id=participant_id,
            channel=CHANNEL,
            kind=CONFIRMATION,
            step_key=token.step_key,
            payload=mail_payload(as_plain_replies(replies), self._thread(mail)),
            cipher=self.cipher,
            now=now,
        )

    @staticmethod
    def _thread(mail: MailReceived, *, form_step: str | None = None) -> MailContext:
        return MailContext(
            in_reply_to=mail.message_id,
            references=mail.references,
            notes=mail.notes,
            form_step=form_step,
        )

    def _unsubscribe(self, token: VouchedToken, event_id: str | None) -> Outcome:
        with self.database.unit_of_work() as session:
            row = participant_store.lock(session, token.participant_id)
            if row is None or not row.email:
                return _done("unsubscribe_unknown")
            outcome = self.turns.take(
                session,
                row,
                identity=Identity(channel=CHANNEL, email=row.email),
                message=OptOut(),
                now=self.clock(),
                event_id=event_id,
            )
        return Outcome(row.id, outcome.replies, outcome.duplicate, event="unsubscribed")

    def unsubscribe(self, participant_id: str) -> Outcome:
        """The one-click link (its token verified by the channel)."""
        return self._unsubscribe(VouchedToken(participant_id, unsubscribe=True), None)

    # ------------------------------------------------------------ automatic mail

    def _bounce(self, mail: MailReceived) -> Outcome:
        if not mail.hard_bounce:
            return _done("bounce_soft")
        with self.database.unit_of_work() as session:
            participant_id = mail.token.participant_id if mail.token else None
            if participant_id is None and mail.bounce_recipient:
                found = mail_contacts.by_email(session, mail.bounce_recipient)
                participant_id = found.participant_id if found else None
            if participant_id is None:
                return _done("bounce_unknown")
            mail_contacts.mark_undeliverable(session, participant_id)
        return Outcome(participant_id, event="bounce_hard")

    # ------------------------------------------------------------ nothing stored: say why

    def _unlinked(self, mail: MailReceived, *, forged: bool) -> Outcome:
        """No valid token: a participant's registered address gets a notice, a stranger a reply."""
        sender = mail.from_address or ""
        with self.database.unit_of_work() as session:
            contact = mail_contacts.by_email(session, sender)
            if contact is not None:
                step = self.dialogue.open_step(self.clock()) if contact.consent else None
                return self._notice(
                    session,
                    contact,
                    dmsg.NOTICE_NO_REFERENCE,
                    event_id=mail.event_id,
                    outcome="forged_token" if forged else "no_token",
                    context=self._thread(mail, form_step=step.key if step else None),
                )
        if not self.strangers.allow(sender, self.clock()):
            return _done("unknown_sender:limited")
        return Outcome(
            "", event="unknown_sender", stranger_reply=StrangerReply(sender, mail.message_id)
        )

    def _notice(
        self,
        session: Session,
        contact: MailContact,
        text: str,
        *,
        event_id: str,
        outcome: str,
        context: MailContext,
    ) -> Outcome:
        """A mail to the participant's registered address, queued in the event's unit of work."""
        if not contact.email or contact.opted_out:
            return Outcome(contact.participant_id, event=f"{outcome}:not_answered")
        if self._limited(session, contact.participant_id):
            return Outcome(contact.participant_id, event=f"{outcome}:limited")
        outbox.enqueue(
            session,
            key=f"{NOTICE}:{_digest(event_id)}",
            participant_id=contact.participant_id,
            channel=CHANNEL,
            kind=NOTICE,
            step_key=context.form_step,
            payload=mail_payload((Say(text),), context),
            cipher=self.cipher,
            now=self.clock(),
        )
        return Outcome(contact.participant_id, event=outcome)

    def _limited(self, session: Session, participant_id: str) -> bool:
        since = self.clock() - timedelta(hours=1)
        sent = mail_contacts.replies_since(
            session, participant_id=participant_id, kinds=ANSWER_KINDS, since=since
        )
        if sent >= self.replies_per_hour:
            log.warning(
                "mail answer not sent: %d answers to this participant in the last hour", sent
            )
            return True
        return False

    def _step_name(self, step_key: str | None) -> str | None:
        step = self.dialogue.step(step_key) if step_key else None
        return step.name if step else None


def _done(label: str) -> Outcome:
    return Outcome("", event=label)


def _digest(event_id: str) -> str:
    return hashlib.sha256(event_id.encode("utf-8", "surrogateescape")).hexdigest()[:40]
