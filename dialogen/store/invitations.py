"""Invitations on the identity side: the stakeholder import writes them, a channel links them.

``upsert_invitees`` matches participants by e-mail address and updates what the invitation says
(role, municipality, province/networks as given, preferred channel, ``invited``). It never touches
progress, answers, consent, opt-out or Teams identifiers: re-running the import with an updated
file loses nobody's progress. What a participant corrected themselves (``corrected_fields``:
their role, municipality, name or channel) stays as they set it.

``link_email`` joins an identity a channel learned (a Teams user whose e-mail address just became
known) to the invitation with that address, so one person stays one participant.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import Connection, bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dialogen.stakeholders.segments import networks_text
from dialogen.stakeholders.sheet import Invitee
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import ConversationReferenceRow, ParticipantRow, ProgressRow, table_of

log = logging.getLogger(__name__)

_CHUNK = 500
_p = table_of(ParticipantRow).c
_EMAIL_BY_OBJECT_ID = sa_select(_p.email).where(_p.aad_object_id == bindparam("aad_object_id"))


@dataclass(frozen=True)
class UpsertCounts:
    created: int
    updated: int
    unchanged: int


def upsert_invitees(
    session: Session, invitees: Sequence[Invitee], *, now: datetime
) -> UpsertCounts:
    existing = _by_email(session, [i.email for i in invitees])
    created = updated = unchanged = 0
    for invitee in invitees:
        row = existing.get(invitee.email)
        if row is None:
            session.add(
                ParticipantRow(
                    id=uuid.uuid4().hex,
                    email=invitee.email,
                    created_at=now,
                    preferred_channel=invitee.preferred_channel or "teams",
                    **_invitation_fields(invitee),
                )
            )
            created += 1
        elif _apply(row, invitee):
            session.add(row)
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return UpsertCounts(created, updated, unchanged)


def _by_email(session: Session, emails: Sequence[str]) -> dict[str, ParticipantRow]:
    found: dict[str, ParticipantRow] = {}
    for start in range(0, len(emails), _CHUNK):
        chunk = list(emails[start : start + _CHUNK])
        rows = session.exec(
            select(ParticipantRow).where(col(ParticipantRow.email).in_(chunk))
        ).all()
        found.update({row.email: row for row in rows if row.email})
    return found


class _InvitationFields(TypedDict):
    """The participant columns an invitation sets."""

    name: str | None
    role: str | None
    municipality_code: str | None
    province: str | None
    networks: str | None
    invited: bool


def _invitation_fields(invitee: Invitee) -> _InvitationFields:
    return {
        "name": invitee.name,
        "role": invitee.role,
        "municipality_code": invitee.municipality_code,
        "province": None if invitee.municipality_code else invitee.province,
        "networks": networks_text(invitee.networks),
        "invited": True,
    }


_CORRECTED_COLUMNS = {
    "role": ("role",),
    "municipality": ("municipality_code", "province", "networks"),
    "name": ("name",),
    "channel": ("preferred_channel",),
}
"""The participant's own corrections (``participant.corrected_fields``) and the columns each
keeps from the import."""


def _apply(row: ParticipantRow, invitee: Invitee) -> bool:
    """Update ``row`` to what the invitation says, except what the participant corrected
    themselves; True when anything changed."""
    changes: dict[str, object] = dict(_invitation_fields(invitee))
    if invitee.name is None:
        changes.pop("name")  # a sheet without names keeps the name a channel learned
    if invitee.preferred_channel:
        changes["preferred_channel"] = invitee.preferred_channel
    for corrected in filter(None, row.corrected_fields.split(",")):
        for column in _CORRECTED_COLUMNS.get(corrected, ()):
            changes.pop(column, None)
    changed = False
    for name, value in changes.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def email_known(connection: Connection, *, aad_object_id: str) -> str | None:
    """The e-mail address of the participant with this Entra object id, when both are known."""
    return connection.execute(_EMAIL_BY_OBJECT_ID, {"aad_object_id": aad_object_id}).scalar()


def link_email(session: Session, row: ParticipantRow, email: str | None) -> None:
    """Give ``row`` (locked, known by a channel id) the e-mail address a channel just learned.

    When an invitation with that address exists as another row that never took part (no
    progress, no conversation reference, no channel ids), the invitation is folded into ``row``:
    its role, municipality, province, networks and channel win, queued messages move along, and
    the invitation row goes. When that other row did take part, both stay and a warning is logged
    (no personal data) for an operator to resolve.
    """
    if not email or (row.email or "").lower() == email.lower():
        return
    email = email.lower()
    other = session.exec(select(ParticipantRow).where(ParticipantRow.email == email)).first()
    if other is None:
        if row.email is None:
            row.email = email
            session.add(row)
        return
    if other.id == row.id:
        return
    if row.email is not None or not _untouched(session, other):
        log.warning("identity link skipped: e-mail belongs to another participant with activity")
        return
    _fold_invitation(session, keep=row, invitation=other, email=email)


def _untouched(session: Session, row: ParticipantRow) -> bool:
    if row.aad_object_id or row.teams_user_id:
        return False
    if session.get(ProgressRow, row.id) is not None:
        return False
    reference = select(ConversationReferenceRow.channel).where(
        ConversationReferenceRow.participant_id == row.id
    )
    return session.exec(reference).first() is None


def _fold_invitation(
    session: Session, *, keep: ParticipantRow, invitation: ParticipantRow, email: str
) -> None:
    try:
        with session.begin_nested():
            session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.participant_id) == invitation.id)
                .values(participant_id=keep.id)
            )
            if invitation.role:  # the invitation's segment wins, as a re-import would
                keep.role = invitation.role
                keep.municipality_code = invitation.municipality_code
                keep.province = invitation.province
                keep.networks = invitation.networks
            keep.preferred_channel = invitation.preferred_channel
            keep.invited = keep.invited or invitation.invited
            keep.opted_out = keep.opted_out or invitation.opted_out
            keep.name = keep.name or invitation.name
            session.delete(invitation)
            session.flush()
            keep.email = email
            session.add(keep)
            session.flush()
    except IntegrityError:
        log.warning("identity link failed: the invitation row is still referenced")
        session.refresh(keep)
        return
    log.info("identity linked: invitation folded into the participant who wrote first")


def install_targets(session: Session) -> list[tuple[str, str]]:
    """(participant id, e-mail) of invitees without a Teams conversation reference who did not
    opt out."""
    reached = select(ConversationReferenceRow.participant_id).where(
        ConversationReferenceRow.channel == "teams"
    )
    statement = (
        select(ParticipantRow.id, ParticipantRow.email)
        .where(
            col(ParticipantRow.invited).is_(True),
            col(ParticipantRow.opted_out).is_(False),
            col(ParticipantRow.email).is_not(None),
            col(ParticipantRow.id).not_in(reached),
        )
        .order_by(col(ParticipantRow.created_at), col(ParticipantRow.id))
    )
    return [(pid, mail) for pid, mail in session.exec(statement).all() if mail is not None]
