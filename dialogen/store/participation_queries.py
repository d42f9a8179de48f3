"""What participation is measured from: per participant (identity side) the segment, flags and
completed steps; per answering pseudonym (answer side) the steps and segments. Neither result
carries a name, e-mail address or participant id."""

from __future__ import annotations

from sqlmodel import Session, select

from dialogen.contracts import SegmentLookup
from dialogen.conversation.state import ConversationState
from dialogen.participation.figures import PersonRecord, StartRecord
from dialogen.stakeholders.segments import Segment, parse_networks, segment_of
from dialogen.store.tables import AnswerRow, ConversationReferenceRow, ParticipantRow, ProgressRow


def people(session: Session, *, municipalities: SegmentLookup) -> list[PersonRecord]:
    reached = set(
        session.exec(
            select(ConversationReferenceRow.participant_id).where(
                ConversationReferenceRow.channel == "teams"
            )
        ).all()
    )
    p = ParticipantRow
    statement = select(
        p.id,
        p.role,
        p.municipality_code,
        p.province,
        p.networks,
        p.invited,
        p.consent,
        p.opted_out,
        p.teams_reachable,
        ProgressRow.state,
    ).join(ProgressRow, ProgressRow.participant_id == p.id, isouter=True)
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
    ) in session.exec(statement):
        segment = segment_of(
            role=role,
            municipality_code=code,
            province=province,
            networks=networks,
            municipalities=municipalities,
        )
        records.append(
            PersonRecord(
                segment=segment,
                invited=invited,
                completed=_completed(state),
                consent=consent,
                opted_out=opted_out,
                reachable_in_teams=pid in reached and reachable,
            )
        )
    return records


def starts(session: Session, *, dialogue_key: str) -> list[StartRecord]:
    statement = (
        select(
            AnswerRow.step_key,
            AnswerRow.pseudonym,
            AnswerRow.role,
            AnswerRow.province,
            AnswerRow.networks,
        )
        .where(AnswerRow.dialogue_key == dialogue_key)
        .distinct()
    )
    return [
        StartRecord(step, pseudonym, Segment(role, province, parse_networks(networks or "")))
        for step, pseudonym, role, province, networks in session.exec(statement).all()
    ]


def _completed(state: dict | None) -> frozenset[str]:
    try:
        return frozenset(ConversationState.from_dict(state).completed_steps)
    except (ValueError, KeyError, TypeError):
        return frozenset()
