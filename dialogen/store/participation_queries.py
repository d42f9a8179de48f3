"""What participation is measured from: per participant (identity side) the segment, flags and
completed steps; per answering pseudonym (answer side) the steps and segments. Neither result
carries a name, e-mail address or participant id.

Both sides are counted in released (k-safe) segments (``dialogen.store.segment_releases``): the
answer side carries nothing else, and the identity side is mapped through the newest decision, so
a row of a figure means the same group on both sides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dialogen.contracts import SegmentLookup
from dialogen.conversation.state import ConversationState
from dialogen.participation.figures import PersonRecord, StartRecord
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.privacy.segment_release import Cell
from dialogen.stakeholders.segments import Segment, parse_networks, segment_of
from dialogen.store import segment_releases
from dialogen.store.participants import open_state
from dialogen.store.tables import AnswerRow, ConversationReferenceRow, ParticipantRow, ProgressRow


def people(
    session: Session, *, municipalities: SegmentLookup, cipher: PayloadCipher
) -> list[PersonRecord]:
    """Every participant as participation counts them; ``cipher`` opens their sealed progress."""
    reached = set(
        session.exec(
            select(ConversationReferenceRow.participant_id).where(
                ConversationReferenceRow.channel == "teams"
            )
        ).all()
    )
    # SQLAlchemy's select() and Session.execute(): sqlmodel's select() is typed for four columns
    p = ParticipantRow
    statement = sa_select(
        col(p.id),
        col(p.role),
        col(p.municipality_code),
        col(p.province),
        col(p.networks),
        col(p.invited),
        col(p.consent),
        col(p.opted_out),
        col(p.teams_reachable),
        col(ProgressRow.state),
    ).join(ProgressRow, col(ProgressRow.participant_id) == p.id, isouter=True)
    statement = statement.where(col(p.is_test).is_(False))  # `dialoog chat` counts nowhere
    released = segment_releases.current(session)
    records: list[PersonRecord] = []
    for (
        pid,
        role,
        code,
        province,
        networks,
        invited,
        consent,
        opted_out,
        reachable,
        state,
    ) in session.execute(statement):
        segment = segment_of(
            role=role,
            municipality_code=code,
            province=province,
            networks=networks,
            municipalities=municipalities,
        )
        as_released = released.get(Cell.of(segment))
        if as_released is not None:
            segment = as_released.as_segment()
        records.append(
            PersonRecord(
                segment=segment,
                invited=invited,
                completed=_completed(open_state(state, cipher)),
                consent=consent,
                opted_out=opted_out,
                reachable_in_teams=pid in reached and reachable,
            )
        )
    return records


def starts(session: Session, *, dialogue_key: str) -> list[StartRecord]:
    # SQLAlchemy's select() and Session.execute(): sqlmodel's select() is typed for four columns
    statement = (
        sa_select(
            col(AnswerRow.step_key),
            col(AnswerRow.pseudonym),
            col(AnswerRow.role),
            col(AnswerRow.province),
            col(AnswerRow.networks),
        )
        .where(col(AnswerRow.dialogue_key) == dialogue_key)
        .distinct()
    )
    return [
        StartRecord(step, pseudonym, Segment(role, province, parse_networks(networks or "")))
        for step, pseudonym, role, province, networks in session.execute(statement).all()
    ]


def _completed(state: Mapping[str, Any] | None) -> frozenset[str]:
    try:
        return frozenset(ConversationState.from_dict(state).completed_steps)
    except (ValueError, KeyError, TypeError):
        return frozenset()


def segments_by_participant(
    session: Session, *, municipalities: SegmentLookup
) -> dict[str, Segment]:
    """Each participant's released segment, by participant id: who a reminder to one group
    (``herinner <stap> --groep …``) reaches. Identity side only; no answers."""
    p = ParticipantRow
    statement = sa_select(
        col(p.id), col(p.role), col(p.municipality_code), col(p.province), col(p.networks)
    )
    released = segment_releases.current(session)
    found: dict[str, Segment] = {}
    for pid, role, code, province, networks in session.execute(statement):
        segment = segment_of(
            role=role,
            municipality_code=code,
            province=province,
            networks=networks,
            municipalities=municipalities,
        )
        as_released = released.get(Cell.of(segment))
        found[pid] = as_released.as_segment() if as_released is not None else segment
    return found
