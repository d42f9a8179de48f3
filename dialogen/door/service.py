"""The one door into the domain: every inbound event (Teams message, card submit, mail reply,
install) goes through :meth:`DialogueService.handle` as one unit of work:
lock the participant, load, decide, save, commit — once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogen.conversation.engine import MunicipalityLookup, Turn, decide
from dialogen.conversation.inputs import Input
from dialogen.conversation.replies import Reply
from dialogen.conversation.state import ConversationState, Profile
from dialogen.dialogue.definition import Dialogue
from dialogen.privacy.anonymity import coarse_day, pseudonym
from dialogen.stakeholders.segments import segment_of
from dialogen.store import answers as answer_store
from dialogen.store import events, invitations
from dialogen.store import participants as participant_store
from dialogen.store.database import Database
from dialogen.store.tables import ParticipantRow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
SameTransaction = Callable[[Any, "Outcome"], None]
"""Work a channel does in the event's own unit of work (``handle(..., also=...)``), e.g. queueing
the mail confirmation: committed together with the answers, or not at all."""


@dataclass(frozen=True)
class Identity:
    """Who sent an event, as the channel knows them. Never logged."""

    channel: str  # "teams", "mail" or "cli"
    aad_object_id: str | None = None
    teams_user_id: str | None = None
    tenant_id: str | None = None
    email: str | None = None
    name: str | None = None


NOT_THEIRS = "not_theirs"
"""``Outcome.event`` when the identity is not the participant the channel vouched for."""


@dataclass(frozen=True)
class InboundEvent:
    identity: Identity
    message: Input
    event_id: str | None = None  # activity id or Message-ID: a redelivery is processed once
    reference: dict[str, Any] | None = None  # for proactive messages later
    # The participant the channel vouches for (a mail's signed reply token): when the identity
    # is someone else's, or nobody's, nothing happens (no one is registered either).
    participant_id: str | None = None


@dataclass(frozen=True)
class Outcome:
    participant_id: str
    replies: tuple[Reply, ...]
    duplicate: bool = False
    event: str = "turn"
    extra: dict[str, Any] = field(default_factory=dict)


class DialogueService:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        municipalities: MunicipalityLookup,
        pseudonym_secret: bytes,
        clock: Clock,
    ) -> None:
        self.database = database
        self.dialogue = dialogue
        self.municipalities = municipalities
        self._secret = pseudonym_secret
        self.clock = clock

    def handle(self, event: InboundEvent, *, also: SameTransaction | None = None) -> Outcome:
        now = self.clock()
        day = coarse_day(now, self.dialogue.zone)
        with self.database.unit_of_work() as session:
            row = self._lock(session, event)  # lock, then load
            if row is None:
                log.info(
                    "event refused: not the participant the channel vouched for channel=%s",
                    event.identity.channel,
                )
                return Outcome(event.participant_id or "", (), event=NOT_THEIRS)
            participant_id = row.id
            if event.event_id and not events.claim(
                session, key=events.event_key(event.identity.channel, event.event_id), day=day
            ):
                log.info("duplicate event ignored channel=%s", event.identity.channel)
                return Outcome(participant_id, (), duplicate=True, event="duplicate")
            if event.reference is not None:
                participant_store.save_reference(
                    session,
                    participant_id=participant_id,
                    channel=event.identity.channel,
                    reference=event.reference,
                    now=now,
                )
            _update_identity(row, event.identity)
            invitations.link_email(session, row, event.identity.email)
            key = pseudonym(self._secret, participant_id)
            given = answer_store.load_values(session, dialogue_key=self.dialogue.key, pseudonym=key)
            turn = Turn(
                dialogue=self.dialogue,
                now=now,
                state=ConversationState.from_dict(
                    participant_store.load_state(session, participant_id)
                ),
                profile=Profile(
                    role=row.role,
                    municipality_code=row.municipality_code,
                    consent=row.consent,
                    opted_out=row.opted_out,
                ),
                answers=answer_store.as_values(given),
                municipalities=self.municipalities,
            )
            decision = decide(turn, event.message)
            if decision.profile is not None:
                if decision.profile.municipality_code != row.municipality_code:
                    row.province = row.networks = None  # what the import gave was for the old place
                row.role = decision.profile.role
                row.municipality_code = decision.profile.municipality_code
                row.consent = decision.profile.consent
                row.opted_out = decision.profile.opted_out
            session.add(row)
            if decision.answers:
                answer_store.save(
                    session,
                    dialogue_key=self.dialogue.key,
                    pseudonym=key,
                    answers=[(c.step_key, c.question_id, c.value) for c in decision.answers],
                    day=day,
                    **self._segment(row),
                )
            participant_store.save_state(session, participant_id, decision.state.to_dict())
            outcome = Outcome(participant_id, decision.replies, event=decision.event)
            if also is not None:
                also(session, outcome)
        log.info(
            "event handled channel=%s event=%s phase=%s replies=%d",
            event.identity.channel,
            decision.event,
            decision.state.phase.value,
            len(decision.replies),
        )
        return outcome

    def resolve(self, identity: Identity) -> str:
        """The participant id for this identity, registering a new participant on first contact."""
        with self.database.unit_of_work() as session:
            return self._resolve(session, identity).id

    def _resolve(
        self, session: Any, identity: Identity, *, for_update: bool = False
    ) -> ParticipantRow:
        channel = identity.channel if identity.channel in ("teams", "mail") else "teams"
        return participant_store.find_or_create(
            session,
            now=self.clock(),
            **_identifiers(identity),
            name=identity.name,
            tenant_id=identity.tenant_id,
            preferred_channel=channel,
            for_update=for_update,
        )

    def _lock(self, session: Any, event: InboundEvent) -> ParticipantRow | None:
        """The event's participant, locked: registered on first contact, unless the channel vouched
        for a participant — then that one only (None when the identity is not theirs)."""
        if event.participant_id is None:
            return self._resolve(session, event.identity, for_update=True)
        found = participant_store.find(session, **_identifiers(event.identity), for_update=True)
        return found if found is not None and found.id == event.participant_id else None

    def remember_reference(self, identity: Identity, reference: dict[str, Any]) -> str:
        """Store how to reach this participant proactively (install events, every message)."""
        with self.database.unit_of_work() as session:
            participant_id = self._resolve(session, identity).id
            participant_store.save_reference(
                session,
                participant_id=participant_id,
                channel=identity.channel,
                reference=reference,
                now=self.clock(),
            )
        return participant_id

    def _segment(self, row: ParticipantRow) -> dict[str, Any]:
        segment = segment_of(
            role=row.role,
            municipality_code=row.municipality_code,
            province=row.province,
            networks=row.networks,
            municipalities=self.municipalities,
        )
        return {
            "role": segment.role,
            "province": segment.province,
            "networks": segment.networks_text,
        }


def _identifiers(identity: Identity) -> dict[str, str | None]:
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
