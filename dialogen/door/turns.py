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
from dialogen.conversation.replies import Say
from dialogen.conversation.state import ConversationState, Decision, Profile
from dialogen.dialogue.definition import Dialogue
from dialogen.door.events import Identity, InboundEvent, Outcome
from dialogen.door.replay import Replay
from dialogen.facilitation.follow_up import questions_as_asked
from dialogen.facilitation.themes import published_options
from dialogen.participation.step_outcome import StepOutcomes
from dialogen.privacy.anonymity import answer_day, coarse_day
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.privacy.released_segments import SegmentReleases
from dialogen.privacy.subject_rights import describe, erase_identity, stored_about
from dialogen.stakeholders.segments import Segment
from dialogen.store import answers as answer_store
from dialogen.store import events, invitations
from dialogen.store import participants as participant_store
from dialogen.store.contributions import ContributionRow
from dialogen.store.tables import ParticipantRow

log = logging.getLogger(__name__)

TEST_CHANNEL = "cli"
"""The channel of ``dialoog chat``: whoever talks through it is a test participant."""


def apart_key(dialogue_key: str) -> str:
    """Where a test participant's answers go: never the dialogue's own key (no ':' in those)."""
    return f"test:{dialogue_key}"[:60]


Session = Any  # a unit of work's session (dialogen.store.database.Database.unit_of_work)


class Turns:
    def __init__(
        self,
        *,
        dialogue: Dialogue,
        municipalities: MunicipalityLookup,
        pseudonyms: Pseudonyms,
        sealing: Sealing,
        releases: SegmentReleases | None = None,
        contributions: Contributions | None = None,
        summaries: StepOutcomes | None = None,
    ) -> None:
        self.dialogue = dialogue
        self.municipalities = municipalities
        self.pseudonyms = pseudonyms
        self.sealing = sealing  # the progress state is sealed at rest
        self.replay = Replay(sealing.replies)  # a redelivered chat activity is answered again
        self.releases = releases or SegmentReleases(municipalities=municipalities)
        self.contributions = contributions  # Verrijken: contributions and reactions
        self.summaries = summaries  # what an earlier step produced, when a step opens with it
        self.on_hidden: Callable[[Session, list[ContributionRow]], None] | None = None
        """Told (in the same unit of work) about contributions that reports just hid."""

    def author_of(self, session: Session, participant_id: str, *, now: Any) -> Author | None:
        """A participant as the anonymous side knows them: pseudonym and released segment."""
        row = participant_store.get(session, participant_id)
        if row is None:
            return None
        return Author(self.pseudonyms.of(row.id), self.segment(session, row, now=now))

    def segment(self, session: Session, row: ParticipantRow, *, now: Any) -> Segment:
        """The released (k-safe) segment this participant's answers and contributions carry."""
        if row.is_test:  # decides no segment release: test participants count nowhere
            return Segment(None, None, frozenset())
        full = self.releases.full_segment(
            role=row.role,
            municipality_code=row.municipality_code,
            province=row.province,
            networks=row.networks,
        )
        return self.releases.released(session, full, now=now)

    def prepare(self, now: Any) -> None:
        """Before the unit of work: what a turn reads that must not be read under the write lock
        (a stale routing pool is rebuilt from a read of its own)."""
        if self.contributions is not None:
            self.contributions.prepare(now)

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
            is_test=identity.channel == TEST_CHANNEL,  # `dialoog chat`: a test participant
            for_update=for_update,
        )

    def answers_key(self, row: ParticipantRow) -> str:
        """The dialogue key answers are stored under: a test participant's are kept apart, so
        no figure, report or shared contribution ever includes them."""
        return apart_key(self.dialogue.key) if row.is_test else self.dialogue.key

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
        replay: bool = False,
    ) -> Outcome:
        """Claim the event, load, decide, save — for ``row``, locked by the caller. With
        ``replay`` the replies are kept with the event, and a redelivery gets them again."""
        day = coarse_day(now, self.dialogue.zone)
        participant_id = row.id
        key = events.event_key(identity.channel, event_id) if event_id else None
        if key is not None and not events.claim(session, key=key, day=day):
            again = self.replay.again(session, key) if replay else ()
            log.info("duplicate event channel=%s replayed=%d", identity.channel, len(again))
            return Outcome(participant_id, again, duplicate=True, event="duplicate")
        outcome = self._take(
            session, row, identity=identity, message=message, now=now, reference=reference, day=day
        )
        if replay and key is not None:
            self.replay.keep(session, key, outcome.replies)
        return outcome

    def _take(
        self,
        session: Session,
        row: ParticipantRow,
        *,
        identity: Identity,
        message: Input,
        now: Any,
        reference: dict[str, Any] | None,
        day: Any,
    ) -> Outcome:
        participant_id = row.id
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
            answer_store.load_values(session, dialogue_key=self.answers_key(row), pseudonym=key)
        )
        state = ConversationState.from_dict(
            participant_store.load_state(session, participant_id, cipher=self.sealing.progress)
        )
        author = Author(key, self.segment(session, row, now=now))
        contributions = None if row.is_test else self.contributions  # nothing shared
        offers = (
            contributions.offers(
                session, author=author, message=message, state=state, answers=given, now=now
            )
            if contributions is not None
            else {}
        )
        turn = Turn(
            dialogue=questions_as_asked(session, self.dialogue, given),  # Verdiepen's follow-ups
            now=now,
            state=state,
            profile=Profile(
                role=row.role,
                municipality_code=row.municipality_code,
                consent=row.consent,
                opted_out=row.opted_out,
                name=row.name,
                channel=row.preferred_channel,
                has_email=bool(row.email),
            ),
            answers=given,
            municipalities=self.municipalities,
            offers=offers,
            summaries=self.summaries.for_open_step(session, now) if self.summaries else {},
            options=published_options(session, self.dialogue),  # the curated themes, as published
        )
        decision = decide(turn, message)
        if decision.erase is not None:
            erase_identity(
                session,
                row,
                pseudonyms=self.pseudonyms,
                with_answers=decision.erase.with_answers,
                now=now,
                zone=self.dialogue.zone,
            )
            log.info("participant erased on request channel=%s", identity.channel)
            return Outcome(participant_id, decision.replies, event=decision.event, erased=True)
        self._save(session, row, decision, key=key, segment=author.segment)
        if contributions is not None:
            hidden = contributions.apply(
                session,
                decision,
                author=author,
                offers=offers,
                chat=not isinstance(message, Answers),
                day=day,
            )
            if hidden and self.on_hidden is not None:
                self.on_hidden(session, hidden)
        replies = decision.replies
        if decision.disclose:  # 'mijn gegevens': what is stored, as it is now
            about = stored_about(
                session,
                row,
                municipalities=self.municipalities,
                releases=self.releases,
                now=now,
            )
            replies = (Say(describe(about)), *replies)
        log.info(
            "event handled channel=%s event=%s phase=%s replies=%d",
            identity.channel,
            decision.event,
            decision.state.phase.value,
            len(decision.replies),
        )
        return Outcome(participant_id, replies, event=decision.event)

    def _save(
        self,
        session: Session,
        row: ParticipantRow,
        decision: Decision,
        *,
        key: str,
        segment: Segment,
    ) -> None:
        if decision.profile is not None:
            if decision.profile.municipality_code != row.municipality_code:
                row.province = row.networks = None  # what the import gave was for the old place
            row.role = decision.profile.role
            row.municipality_code = decision.profile.municipality_code
            row.consent = decision.profile.consent
            row.opted_out = decision.profile.opted_out
            row.name = decision.profile.name
            row.preferred_channel = decision.profile.channel
        if decision.corrected:  # their own word: a re-import leaves these alone
            marked = set(filter(None, row.corrected_fields.split(","))) | decision.corrected
            row.corrected_fields = ",".join(sorted(marked))
        session.add(row)
        if decision.answers:
            self._save_answers(
                session, decision, key=key, segment=segment, dialogue_key=self.answers_key(row)
            )
        participant_store.save_state(
            session, row.id, decision.state.to_dict(), cipher=self.sealing.progress
        )

    def _save_answers(
        self,
        session: Session,
        decision: Decision,
        *,
        key: str,
        segment: Segment,
        dialogue_key: str,
    ) -> None:
        """Under the pseudonym, with the released (k-safe) segment, and per step the day the step
        opened: an answer carries no moment of its own that could be matched to anything."""
        by_step: dict[str, list[tuple[str, str, Any]]] = {}
        for change in decision.answers:
            by_step.setdefault(change.step_key, []).append(
                (change.step_key, change.question_id, change.value)
            )
        for step_key, answers in by_step.items():
            answer_store.save(
                session,
                dialogue_key=dialogue_key,
                pseudonym=key,
                answers=answers,
                day=answer_day(self.dialogue, step_key),
                role=segment.role,
                province=segment.province,
                networks=segment.networks_text,
            )


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
    if identity.name and not row.name and "name" not in row.corrected_fields.split(","):
        row.name = identity.name  # unless they asked us to keep no name
