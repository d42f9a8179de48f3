"""The one door into the domain.

Every event a channel translated — a Teams message or card submit, an install, a received mail, a
one-click unsubscribe, a facilitator's click — goes through :meth:`Door.handle`, which routes it:

- typed text that is a facilitator command goes to facilitation (which checks the facilitator list
  every time and audits), whatever the channel; a click on a preview's buttons too;
- a received mail goes through the mail intake rules (:mod:`dialogen.door.mail_intake`);
- anything else is the participant's turn in their conversation: one unit of work — lock the
  participant, load, decide (:func:`dialogen.conversation.engine.decide`), save, commit.

The :class:`~dialogen.door.events.Outcome` says what to answer; each channel renders it.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from dialogen.contracts import Clock, MunicipalityLookup
from dialogen.contributions.authors import tell_author
from dialogen.contributions.moderation import Moderation
from dialogen.contributions.names import ListMasker
from dialogen.contributions.service import Contributions
from dialogen.conversation.commands import parse_command as parse_participant_command
from dialogen.conversation.inputs import Command as ParticipantCommand
from dialogen.conversation.inputs import Input, Text
from dialogen.conversation.replies import Say
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import (
    NOT_THEIRS,
    Event,
    FacilitatorDecision,
    Identity,
    InboundEvent,
    MailReceived,
    Outcome,
    ReferenceSeen,
    Unsubscribe,
)
from dialogen.door.mail_intake import MailIntake
from dialogen.door.stranger_replies import StrangerReplies
from dialogen.door.turns import Session, Turns
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation.actions import Facilitation, Facilitator
from dialogen.facilitation.commands import ReportCommand, parse_command
from dialogen.participation.step_outcome import StepOutcomes
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.privacy.released_segments import SegmentReleases
from dialogen.reporting import messages as rmsg
from dialogen.store import participants as participant_store
from dialogen.store.contributions import ContributionRow
from dialogen.store.database import Database

log = logging.getLogger(__name__)


class Door:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        municipalities: MunicipalityLookup,
        pseudonyms: Pseudonyms,
        clock: Clock,
        facilitation: Facilitation | None = None,
        mail_replies_per_hour: int = 5,
        strangers: StrangerReplies | None = None,
        sealing: Sealing | None = None,
        releases: SegmentReleases | None = None,
    ) -> None:
        self._database = database
        self.dialogue = dialogue
        self.clock = clock
        self.facilitation = facilitation
        self.contributions = Contributions(
            dialogue=dialogue,
            clock=clock,
            masker=ListMasker(clock=clock),
            moderation=Moderation(dialogue.contributions),
            read=database.read,
        )
        self.sealing = sealing or Sealing.derived_from(pseudonyms)
        self.turns = Turns(
            dialogue=dialogue,
            municipalities=municipalities,
            pseudonyms=pseudonyms,
            contributions=self.contributions,
            summaries=StepOutcomes(dialogue=dialogue),
            sealing=self.sealing,
            releases=releases,
        )
        self.turns.on_hidden = self._tell_authors
        self._pseudonyms = pseudonyms
        self.mail = MailIntake(
            database=database,
            dialogue=dialogue,
            turns=self.turns,
            clock=clock,
            cipher=self.sealing.outbox,
            facilitate=self._facilitate,
            replies_per_hour=mail_replies_per_hour,
            strangers=strangers,
        )

    def handle(self, event: Event) -> Outcome:
        if isinstance(event, InboundEvent):
            routed = self._facilitate(event.identity, event.message)
            return routed or self._with_facilitator_help(event, self._turn(event))
        if isinstance(event, MailReceived):
            return self.mail.receive(event)
        if isinstance(event, ReferenceSeen):
            return self._remember(event)
        if isinstance(event, FacilitatorDecision):
            return self._decide(event)
        if isinstance(event, Unsubscribe):
            return self.mail.unsubscribe(event.participant_id)
        raise TypeError(f"not an event: {type(event).__name__}")

    # ------------------------------------------------------------ participants

    def _turn(self, event: InboundEvent) -> Outcome:
        now = self.clock()
        self.turns.prepare(now)  # a stale routing pool is rebuilt now, not under the write lock
        with self._database.unit_of_work() as session:
            row = self.turns.lock(session, event, now=now)  # lock, then load
            if row is None:
                log.info(
                    "event refused: not the participant the channel vouched for channel=%s",
                    event.identity.channel,
                )
                return Outcome(event.participant_id or "", (), event=NOT_THEIRS)
            return self.turns.take(
                session,
                row,
                identity=event.identity,
                message=event.message,
                now=now,
                event_id=event.event_id,
                reference=event.reference,
                replay=True,  # a chat has no outbox for the answer: a redelivery gets it again
            )

    def _remember(self, event: ReferenceSeen) -> Outcome:
        """Store how to reach this participant proactively (the bot was added to their chat)."""
        now = self.clock()
        with self._database.unit_of_work() as session:
            row = self.turns.register(session, event.identity, now=now)
            participant_store.save_reference(
                session,
                participant_id=row.id,
                channel=event.identity.channel,
                reference=event.reference,
                now=now,
            )
        return Outcome(row.id, event="reference")

    def _tell_authors(self, session: Session, hidden: list[ContributionRow]) -> None:
        for row in hidden:
            tell_author(
                session,
                row,
                pseudonyms=self._pseudonyms,
                sealing=self.sealing,
                reason=row.hidden_reason or "",
                now=self.clock(),
            )

    # ------------------------------------------------------------ facilitators

    def _facilitate(self, identity: Identity, message: Input) -> Outcome | None:
        """The outcome of a facilitator command; None when ``message`` is not one."""
        if self.facilitation is None or not isinstance(message, Text):
            return None
        command = parse_command(message.text)
        if command is None:
            return None
        facilitation, who = self.facilitation, _facilitator(identity)
        if (
            isinstance(command, ReportCommand)
            and command.approve is None
            and facilitation.is_facilitator(who)
        ):
            # Making a report takes longer than a Teams turn allows: answer at once, the channel
            # runs the rest outside the turn and delivers the report.
            def make() -> Outcome:
                return Outcome("", facilitation.run(who, command), event="facilitator:rapport")

            return Outcome(
                "", (Say(rmsg.REPORT_BEING_MADE),), event="facilitator:rapport", later=make
            )
        replies = facilitation.run(who, command)
        return Outcome("", replies, event=f"facilitator:{command.word}")

    def _with_facilitator_help(self, event: InboundEvent, outcome: Outcome) -> Outcome:
        """'help' from a facilitator: their own words too (stand, verstuur, herinner, ...)."""
        message = event.message
        if (
            self.facilitation is None
            or not isinstance(message, Text)
            or parse_participant_command(message.text) is not ParticipantCommand.HELP
            or not self.facilitation.is_facilitator(_facilitator(event.identity))
        ):
            return outcome
        return replace(outcome, replies=outcome.replies + (Say(fmsg.FACILITATOR_HELP),))

    def _decide(self, event: FacilitatorDecision) -> Outcome:
        facilitation = self.facilitation
        if facilitation is None:
            return Outcome("", (Say(fmsg.BROADCASTS_UNAVAILABLE),), event="facilitator:unavailable")
        who = _facilitator(event.identity)
        if not event.confirm:
            replies = facilitation.decide(who, event.token, confirm=False)
            return Outcome("", replies, event="facilitator:cancel")

        def confirm() -> Outcome:
            try:
                return Outcome("", facilitation.decide(who, event.token, confirm=True))
            except Exception:  # noqa: BLE001 - the facilitator hears it; the operator gets the trace
                log.exception("facilitator confirmation failed")
                return Outcome("", (Say(fmsg.CONFIRMATION_FAILED),), event="facilitator:failed")

        # Queueing thousands of messages takes longer than a Teams turn allows: answer at once,
        # the channel runs the rest outside the turn and delivers its outcome.
        return Outcome("", (Say(fmsg.PROCESSING),), event="facilitator:confirm", later=confirm)


def _facilitator(identity: Identity) -> Facilitator:
    return Facilitator(
        aad_object_id=identity.aad_object_id,
        email=identity.email,
        channel=identity.channel,
        user_id=identity.teams_user_id,
    )
