"""Who can be reached on a channel, and how: for the outbox's transports, many at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session, col, select

from dialogen.store.database import connection_of
from dialogen.store.tables import ConversationReferenceRow, ParticipantRow


@dataclass(frozen=True)
class Target:
    exists: bool  # False: the participant was removed
    teams_reachable: bool
    reference: dict[str, Any] | None  # the stored conversation reference on the channel
    opted_out: bool = False  # opted out after the message was queued: it must not go out


def targets(
    db: Session | Connection, *, participant_ids: Sequence[str], channel: str
) -> dict[str, Target]:
    """Each participant's reachability and stored reference on ``channel`` (missing ones too)."""
    ids = list(dict.fromkeys(participant_ids))
    found: dict[str, Target] = {i: Target(False, False, None) for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = (
            connection_of(db)
            .execute(
                select(
                    ParticipantRow.id,
                    ParticipantRow.teams_reachable,
                    ConversationReferenceRow.reference,
                    ParticipantRow.opted_out,
                )
                .select_from(ParticipantRow)
                .outerjoin(
                    ConversationReferenceRow,
                    (col(ConversationReferenceRow.participant_id) == ParticipantRow.id)
                    & (col(ConversationReferenceRow.channel) == channel),
                )
                .where(col(ParticipantRow.id).in_(chunk))
            )
            .all()
        )
        for participant_id, reachable, reference, opted_out in rows:
            found[participant_id] = Target(
                True, bool(reachable), dict(reference) if reference else None, bool(opted_out)
            )
    return found
