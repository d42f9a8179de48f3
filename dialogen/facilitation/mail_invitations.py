"""Invitations by mail: the bot greets an invitee by mail, as Teams greets someone who opens the
bot.

Each invitee takes a turn with :class:`~dialogen.conversation.inputs.Install` (``invitation``):
welcome, privacy text and, when their role came with the import and a step is open, that step's
questions — answering them is joining (see ``dialogen.conversation.joining``); otherwise "Wilt u
meedoen?". The replies are queued in the outbox as an ``invitation`` in the same unit of work, to
go out within the dialogue's send window (at once with the demo calendar, ``try_out``). The
event id and the outbox key make a repeated run invite nobody twice; the run is recorded in the
audit log.
"""

from __future__ import annotations

import logging

from dialogen.contracts import Clock
from dialogen.conversation.engine import Turn, decide
from dialogen.conversation.inputs import Install
from dialogen.conversation.replies import Reply
from dialogen.conversation.state import ConversationState, Profile
from dialogen.dialogue.timing import next_send_moment
from dialogen.door.events import Identity
from dialogen.door.queued import MailContext, mail_payload
from dialogen.door.turns import Turns
from dialogen.facilitation.actions import as_plain_replies
from dialogen.store import audit, mail_contacts, outbox
from dialogen.store import participants as participant_store
from dialogen.store.database import Database
from dialogen.store.mail_contacts import MailContact

log = logging.getLogger(__name__)

INVITATION = "invitation"


class MailInvitations:
    def __init__(
        self, *, database: Database, turns: Turns, clock: Clock, try_out: bool = False
    ) -> None:
        self._try_out = try_out  # the demo calendar: a try-out is not held back by the window
        self._database = database
        self._turns = turns
        self._clock = clock
        self._sealing = turns.sealing  # the invitation is sealed in the outbox like any payload

    def invitees(self, *, include_without_teams: bool) -> list[MailContact]:
        """Who would be invited: an address that works, no consent, not opted out, never greeted;
        who prefers mail, or (``include_without_teams``) whom Teams cannot reach yet."""
        with self._database.unit_of_work() as session:
            return mail_contacts.invitees(
                session,
                include_without_teams=include_without_teams,
                cipher=self._sealing.progress,
            )

    def preview(
        self, *, include_without_teams: bool
    ) -> tuple[list[MailContact], tuple[Reply, ...]]:
        """Who would be invited, and the invitation as the first of them would read it (their
        turn is taken and rolled back: nothing is stored); with nobody to invite, as an invitee
        without an imported profile would read it."""
        people = [c for c in self.invitees(include_without_teams=include_without_teams) if c.email]
        now = self._clock()
        if not people:
            turn = Turn(
                dialogue=self._turns.dialogue,
                now=now,
                state=ConversationState(),
                profile=Profile(),
                answers={},
                municipalities=self._turns.municipalities,
            )
            return people, decide(turn, Install(invitation=True)).replies
        first = people[0]
        try:
            with self._database.unit_of_work() as session:
                row = participant_store.lock(session, first.participant_id)
                if row is None:
                    return people, ()
                outcome = self._turns.take(
                    session,
                    row,
                    identity=Identity(channel="mail", email=first.email),
                    message=Install(invitation=True),
                    now=now,
                    event_id=None,
                )
                raise _RollBack(tuple(r for r in outcome.replies if isinstance(r, Reply)))
        except _RollBack as done:
            return people, done.replies

    def invite(self, *, actor: str, include_without_teams: bool = False) -> int:
        """Queue the mail invitation for every invitee not greeted yet; how many were queued."""
        now = self._clock()
        dialogue = self._turns.dialogue
        send_at = (
            now if self._try_out else next_send_moment(now, dialogue.send_window, dialogue.zone)
        )
        queued = 0
        for contact in self.invitees(include_without_teams=include_without_teams):
            if not contact.email:
                continue
            with self._database.unit_of_work() as session:
                row = participant_store.lock(session, contact.participant_id)
                if row is None:
                    continue
                outcome = self._turns.take(
                    session,
                    row,
                    identity=Identity(channel="mail", email=contact.email),
                    message=Install(invitation=True),
                    now=now,
                    event_id=f"mail-invitation:{contact.participant_id}",
                )
                if outcome.replies and outbox.enqueue(
                    session,
                    key=f"{INVITATION}:{row.id}",
                    participant_id=row.id,
                    channel="mail",
                    kind=INVITATION,
                    payload=mail_payload(as_plain_replies(outcome.replies), MailContext()),
                    cipher=self._sealing.outbox,
                    now=now,
                    not_before=send_at,
                ):
                    queued += 1
        with self._database.unit_of_work() as session:
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


class _RollBack(Exception):  # noqa: N818 - control flow: leave the unit of work without a commit
    def __init__(self, replies: tuple[Reply, ...]) -> None:
        super().__init__("preview")
        self.replies = replies
