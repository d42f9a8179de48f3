"""Invitations by mail: the bot greets an invitee by mail, as Teams greets someone who opens the bot.

Each invitee goes through the domain's one door with :class:`~dialogen.conversation.inputs.Install`
(welcome, privacy text, "Wilt u meedoen?"), and the replies are queued in the outbox as an
``invitation`` in the same transaction, to go out within the dialogue's send window. Their
"ja" by mail then continues the conversation. The event id and the outbox key make a repeated
run invite nobody twice; the run is recorded in the audit log.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.mail.outbound.compose import MailExtras, mail_payload
from dialogen.conversation.inputs import Install
from dialogen.dialogue.timing import next_send_moment
from dialogen.door.service import DialogueService, Identity, InboundEvent, Outcome
from dialogen.store import audit, mail_contacts, outbox

__all__ = ["INVITATION", "invite_by_mail", "invitees"]

log = logging.getLogger(__name__)

INVITATION = "invitation"


def invitees(
    service: DialogueService, *, include_without_teams: bool
) -> list[mail_contacts.MailContact]:
    with service.database.unit_of_work() as session:
        return mail_contacts.invitees(session, include_without_teams=include_without_teams)


def invite_by_mail(
    service: DialogueService, *, actor: str, include_without_teams: bool = False
) -> int:
    """Queue the mail invitation for every invitee not greeted yet; how many were queued."""
    now = service.clock()
    dialogue = service.dialogue
    send_at = next_send_moment(now, dialogue.send_window, dialogue.zone)
    queued = 0
    for contact in invitees(service, include_without_teams=include_without_teams):
        if not contact.email:
            continue
        added: list[bool] = []

        def enqueue(
            session: Any,
            outcome: Outcome,
            pid: str = contact.participant_id,
            added: list[bool] = added,
        ) -> None:
            if outcome.replies:
                added.append(
                    outbox.enqueue(
                        session,
                        key=f"{INVITATION}:{pid}",
                        participant_id=pid,
                        channel="mail",
                        kind=INVITATION,
                        payload=mail_payload(outcome.replies, MailExtras()),
                        now=now,
                        not_before=send_at,
                    )
                )

        service.handle(
            InboundEvent(
                Identity(channel="mail", email=contact.email),
                Install(),
                event_id=f"mail-invitation:{contact.participant_id}",
            ),
            also=enqueue,
        )
        queued += sum(added)
    with service.database.unit_of_work() as session:
        audit.record(
            session,
            at=now,
            actor=actor,
            action="mail_invitation",
            count=queued,
            details={"include_without_teams": include_without_teams},
        )
    log.info("mail invitations queued=%d", queued)
    return queued
