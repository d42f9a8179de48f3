"""A participant's turn inside an open unit of work: lock, load, decide, save.

The door opens the unit of work and calls :meth:`Turns.lock` then :meth:`Turns.take`; whatever else
belongs to the same event (a mail confirmation to queue) is written in the same session, so it is
committed together with the answers, or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from dialogen.contracts import MunicipalityLookup
from dialogen.contributions.service import Author, Contributions
from dialogen.conversation.engine import Turn, decide
from dialogen.conversation.inputs import Answers, Input
from dialogen.conversation.state import ConversationState, Decision, Profile
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import Identity, InboundEvent, Outcome
from dialogen.participation.step_outcome import StepOutcomes
from dialogen.privacy.anonymity import coarse_day
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.segments import Segment, segment_of
from dialogen.store import answers as answer_store
from dialogen.store import events, invitations
from dialogen.store import participants as participant_store
from dialogen.store.contributions import ContributionRow
from dialogen.store.tables import ParticipantRow

log = logging.getLogger(__name__)

Session = Any  # a unit of work's session (dialogen.store.database.Database.unit_of_work)


class Turns:
    def __init__(
        self,
        *,
        dialogue: Dialogue,
        municipalities: MunicipalityLookup,
        pseudonyms: Pseudonyms,
        contributions: Contributions | None = None,
        summaries: StepOutcomes | None = None,
    ) -> None:
        self.dialogue = dialogue
        self.municipalities = municipalities
        self.pseudonyms = pseudonyms
        self.contributions = contributions  # Verrijken: contributions and reactions
        self.summaries = summaries  # what an earlier step produced, when a step opens with it
        self.on_hidden: Callable[[Session, list[ContributionRow]], None] | None = None
        """Told (in the same unit of work) about contributions that reports just hid."""

    def author_of(self, session: Session, participant_id: str) -> Author | None:
        """A participant as the anonymous side knows them: pseudonym and segment."""
        row = participant_store.get(session, participant_id)
        return Author(self.pseudonyms.of(row.id), self.segment(row)) if row is not None else None

    def segment(self, row: ParticipantRow) -> Segment:
        """The segment this participant's answers and contributions carry."""
        return segment_of(
            role=row.role,
            municipality_code=row.municipality_code,
            province=row.province,
            networks=row.networks,
            municipalities=self.municipalities,
        )

    # ------------------------------------------------------------ lock

    def lock(self, session: Session, event: InboundEvent, *, now: Any) -> ParticipantRow | None:
        """The event's participant, locked: registered on first contact, unless the channel vouched
        for a participant — then that one only (None when the identity is not theirs)."""
        if event.participant_id is None:
            return self.register(session, event.identity, now=now, for_update=True)
        found = participant_store.find(session, **identifiers(event.identity), for_update=True)
        return found if found is not None and found.id == event.participant_id else None

    def register(
        self, session: Session, identity: Identity, *, now: Any, for_update: bool = False
    ) -> ParticipantRow:
        """The participant with this identity, registered now on first contact."""
        channel = identity.channel if identity.channel in ("teams", "mail") else "teams"
        return participant_store.find_or_create(
            session,
            now=now,
            **identifiers(identity),
            name=identity.name,
            tenant_id=identity.tenant_id,
            preferred_channel=channel,
            for_update=for_update,
        )

    # ------------------------------------------------------------ take the turn

    def take(
        self,
        session: Session,
        row: ParticipantRow,
        *,
        identity: Identity,
        message: Input,
        now: Any,
        event_id: str | None = None,
        reference: dict[str, Any] | None = None,
    ) -> Outcome:
        """Claim the event, load, decide, save — for ``row``, locked by the caller."""
        day = coarse_day(now, self.dialogue.zone)
        participant_id = row.id
        if event_id and not events.claim(
            session, key=events.event_key(identity.channel, event_id), day=day
        ):
            log.info("duplicate event ignored channel=%s", identity.channel)
            return Outcome(participant_id, (), duplicate=True, event="duplicate")
        if reference is not None:
            participant_store.save_reference(
                session,
                participant_id=participant_id,
                channel=identity.channel,
                reference=reference,
                now=now,
            )
        _update_identity(row, identity)
        invitations.link_email(session, row, identity.email)
        key = self.pseudonyms.of(participant_id)
        given = answer_store.as_values(
            answer_store.load_values(session, dialogue_key=self.dialogue.key, pseudonym=key)
        )
        state = ConversationState.from_dict(participant_store.load_state(session, participant_id))
        author = Author(key, self.segment(row))
        offers = (
            self.contributions.offers(
                session, author=author, message=message, state=state, answers=given, now=now
            )
            if self.contributions is not None
            else {}
        )
        turn = Turn(
            dialogue=self.dialogue,
            now=now,
            state=state,
            profile=Profile(
                role=row.role,
                municipality_code=row.municipality_code,
                consent=row.consent,
                opted_out=row.opted_out,
            ),
            answers=given,
            municipalities=self.municipalities,
            offers=offers,
            summaries=self.summaries.for_open_step(session, now) if self.summaries else {},
        )
        decision = decide(turn, message)
        self._save(session, row, decision, key=key, day=day)
        if self.contributions is not None:
            hidden = self.contributions.apply(
                session,
                decision,
                author=author,
                offers=offers,
                chat=not isinstance(message, Answers),
                day=day,
            )
            if hidden and self.on_hidden is not None:
                self.on_hidden(session, hidden)
        log.info(
            "event handled channel=%s event=%s phase=%s replies=%d",
            identity.channel,
            decision.event,
            decision.state.phase.value,
            len(decision.replies),
        )
        return Outcome(participant_id, decision.replies, event=decision.event)

    def _save(
        self, session: Session, row: ParticipantRow, decision: Decision, *, key: str, day: Any
    ) -> None:
        if decision.profile is not None:
            if decision.profile.municipality_code != row.municipality_code:
                row.province = row.networks = None  # what the import gave was for the old place
            row.role = decision.profile.role
            row.municipality_code = decision.profile.municipality_code
            row.consent = decision.profile.consent
            row.opted_out = decision.profile.opted_out
        session.add(row)
        if decision.answers:
            segment = self.segment(row)
            answer_store.save(
                session,
                dialogue_key=self.dialogue.key,
                pseudonym=key,
                answers=[(c.step_key, c.question_id, c.value) for c in decision.answers],
                day=day,
                role=segment.role,
                province=segment.province,
                networks=segment.networks_text,
            )
        participant_store.save_state(session, row.id, decision.state.to_dict())


def identifiers(identity: Identity) -> dict[str, str | None]:
    return {
        "aad_object_id": identity.aad_object_id,
        "teams_user_id": identity.teams_user_id,
        "email": identity.email,
    }


def _update_identity(row: ParticipantRow, identity: Identity) -> None:
    """Fill in identifiers a channel learns later (e.g. the object id after a Teams message)."""
    if identity.channel == "teams":
        row.teams_reachable = True  # they wrote or reinstalled: a past 403 no longer holds
    if identity.aad_object_id and not row.aad_object_id:
        row.aad_object_id = identity.aad_object_id
    if identity.teams_user_id and not row.teams_user_id:
        row.teams_user_id = identity.teams_user_id
    if identity.tenant_id and not row.tenant_id:
        row.tenant_id = identity.tenant_id
    if identity.name and not row.name:
        row.name = identity.name
