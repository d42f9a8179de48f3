"""A participant's own data in their own hands, and the operator's side of it (GDPR: access,
rectification, erasure; storage limitation).

- :func:`stored_about` — what 'mijn gegevens' shows, and ``dialoog privacy export`` prints: the
  identity side, and the (k-safe) segment their answers carry. Their answers are not part of it:
  they are stored apart, under a pseudonym (the participant sees them with 'mijn antwoorden').
- :func:`erase_identity` — 'verwijder mij' (the door, in the turn's unit of work) and ``dialoog
  privacy erase``: the participant row and everything keyed by it; the answers too when asked,
  found by pseudonym while the secret exists. A keyed hash of the address is kept, so a re-import
  does not invite them again. Afterwards nobody can link their remaining answers to them: the
  participant id the pseudonym was computed from is gone.
- :class:`SubjectRights` — the operator verbs (export, erase, purge), each audited without
  naming the person.

This is a privacy service, not facilitation: it is shared by the participant's own commands (the
door) and the operators' verbs, and it is about personal data rather than the dialogue.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from dialogen.contracts import Clock, SegmentLookup
from dialogen.conversation import messages as msg
from dialogen.conversation.messages import StoredAboutYou
from dialogen.dialogue.definition import Dialogue
from dialogen.privacy.anonymity import K_ANONYMITY, coarse_day
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.privacy.released_segments import SegmentReleases
from dialogen.privacy.segment_release import GROUP_LABELS, REGIONS
from dialogen.stakeholders.roles import role_label
from dialogen.store import answers as answer_store
from dialogen.store import audit, erasure, participants
from dialogen.store.database import Database
from dialogen.store.erasure import Erased, IdentityCounts
from dialogen.store.tables import ParticipantRow

log = logging.getLogger(__name__)

Session = Any  # a unit of work's session (dialogen.store.database.Database.unit_of_work)

ERASED_ADDRESS_KEY = b"dialoog erased address v1"


def address_digest(pseudonyms: Pseudonyms, email: str) -> str:
    """A keyed hash of an address: whoever lacks the secret cannot test addresses against it."""
    key = pseudonyms.subkey(ERASED_ADDRESS_KEY)
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- what is stored


def stored_about(
    session: Session,
    row: ParticipantRow,
    *,
    municipalities: SegmentLookup,
    releases: SegmentReleases,
    now: datetime,
) -> StoredAboutYou:
    place = None
    if row.municipality_code:
        try:
            place = municipalities.by_code(row.municipality_code)
        except LookupError:
            place = None
    full = releases.full_segment(
        role=row.role,
        municipality_code=row.municipality_code,
        province=row.province,
        networks=row.networks,
    )
    released = releases.released(session, full, now=now) if row.role else None
    in_teams = bool(row.aad_object_id or row.teams_user_id) or (
        participants.load_reference(session, participant_id=row.id, channel="teams") is not None
    )
    return StoredAboutYou(
        name=row.name,
        email=row.email,
        in_teams=in_teams,
        role=role_label(row.role),
        municipality=place.name if place else None,
        province=full.province,
        networks=tuple(n for n in full.networks.split(",") if n),
        channel=row.preferred_channel,
        consent=row.consent,
        opted_out=row.opted_out,
        released_role=_role_shown(released.role if released else None),
        released_province=_province_shown(released.province if released else None),
        released_networks=(released.networks_text if released else "") or msg.NO_NETWORKS,
    )


def _role_shown(value: str | None) -> str:
    if value is None:
        return msg.NOT_SHOWN
    if value in GROUP_LABELS:
        return msg.role_group(GROUP_LABELS[value])
    return role_label(value).lower()


def _province_shown(value: str | None) -> str:
    if value is None:
        return msg.NOT_SHOWN
    return value if value in REGIONS else msg.region(value)


def describe(data: StoredAboutYou) -> str:
    return msg.stored_about_you(data, k=K_ANONYMITY)


# ---------------------------------------------------------------- erasing


def erase_identity(
    session: Session,
    row: ParticipantRow,
    *,
    pseudonyms: Pseudonyms,
    with_answers: bool,
    now: datetime,
    zone: Any,
) -> Erased:
    """The participant and everything keyed by them; their answers too when ``with_answers``.
    A keyed hash of their address stays, so a re-import skips them."""
    session.flush()  # pending changes to the row first: it is deleted below, outside the ORM
    pseudonym = pseudonyms.of(row.id) if with_answers else None
    if row.email:
        erasure.remember_erased(
            session, digest=address_digest(pseudonyms, row.email), day=coarse_day(now, zone)
        )
    done = erasure.erase_participant(session, participant_id=row.id, pseudonym=pseudonym)
    session.expunge(row)
    return done


# ---------------------------------------------------------------- the operators' verbs


@dataclass(frozen=True)
class PurgePlan:
    allowed_from: datetime  # the last step's close plus the retention
    counts: IdentityCounts


class SubjectRights:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        municipalities: SegmentLookup,
        pseudonyms: Pseudonyms,
        sealing: Sealing,
        releases: SegmentReleases,
        clock: Clock,
        purge_after: timedelta,
    ) -> None:
        self._database = database
        self._dialogue = dialogue
        self._municipalities = municipalities
        self._pseudonyms = pseudonyms
        self._sealing = sealing
        self._releases = releases
        self._clock = clock
        self.purge_after = purge_after

    def export(self, email: str, *, actor: str) -> dict[str, Any] | None:
        """Everything stored about the participant with this address (None: nobody), audited."""
        now = self._clock()
        with self._database.unit_of_work() as session:
            row = participants.find(session, email=email)
            if row is not None:
                data = stored_about(
                    session,
                    row,
                    municipalities=self._municipalities,
                    releases=self._releases,
                    now=now,
                )
                state = participants.load_state(session, row.id, cipher=self._sealing.progress)
                answers = len(self._answers_of(session, row.id))
                export: dict[str, Any] | None = {
                    "participant": {
                        "name": row.name,
                        "email": row.email,
                        "teams_user_id": row.teams_user_id,
                        "aad_object_id": row.aad_object_id,
                        "tenant_id": row.tenant_id,
                        "role": row.role,
                        "municipality_code": row.municipality_code,
                        "province_given": row.province,
                        "networks_given": row.networks,
                        "preferred_channel": row.preferred_channel,
                        "consent": row.consent,
                        "opted_out": row.opted_out,
                        "invited": row.invited,
                        "teams_reachable": row.teams_reachable,
                        "mail_undeliverable": row.mail_undeliverable,
                        "corrected_fields": row.corrected_fields,
                        "created_at": row.created_at.isoformat(),
                    },
                    "as_shown": asdict(data),
                    "conversation_state": state,
                    "channels_reached": sorted(
                        channel
                        for channel in ("teams", "mail")
                        if participants.load_reference(
                            session, participant_id=row.id, channel=channel
                        )
                        is not None
                    ),
                    "answers": {
                        "count": answers,
                        "note": "stored apart, under a pseudonym; not included here",
                    },
                }
            else:
                export = None
            audit.record(
                session, at=now, actor=actor, action="privacy_export", count=int(row is not None)
            )
        return export

    def erase(self, email: str, *, actor: str, with_answers: bool) -> Erased | None:
        """Erase the participant with this address (None: nobody), audited without naming them."""
        now = self._clock()
        with self._database.unit_of_work() as session:
            row = participants.find(session, email=email, for_update=True)
            done = None
            if row is not None:
                done = erase_identity(
                    session,
                    row,
                    pseudonyms=self._pseudonyms,
                    with_answers=with_answers,
                    now=now,
                    zone=self._dialogue.zone,
                )
            audit.record(
                session,
                at=now,
                actor=actor,
                action="privacy_erase",
                count=int(done is not None),
                details={
                    "with_answers": with_answers,
                    "answers_removed": done.answers if done else 0,
                },
            )
        log.info("privacy erase found=%s with_answers=%s", done is not None, with_answers)
        return done

    def purge_plan(self) -> PurgePlan:
        last_close = max(step.closes for step in self._dialogue.steps)
        with self._database.unit_of_work() as session:
            counts = erasure.identity_counts(session)
        return PurgePlan(last_close + self.purge_after, counts)

    def purge(self, *, actor: str) -> IdentityCounts:
        """Remove every identity (the caller checked the retention and the confirmation)."""
        now = self._clock()
        with self._database.unit_of_work() as session:
            counts = erasure.purge_identities(session)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="purge",
                count=counts.participants,
                details=asdict(counts),
            )
        log.info("identities purged participants=%d", counts.participants)
        return counts

    def _answers_of(self, session: Session, participant_id: str) -> dict[Any, Any]:
        return answer_store.load_values(
            session, dialogue_key=self._dialogue.key, pseudonym=self._pseudonyms.of(participant_id)
        )
