"""What participation is measured from: per participant (identity side) the segment, flags and
completed steps; per answering pseudonym (answer side) the steps and segments. Neither result
carries a name, e-mail address or participant id.

Both sides are counted in released (k-safe) segments (``dialogen.store.segment_releases``): the
answer side carries nothing else, and the identity side is mapped through the newest decision, so
a row of a figure means the same group on both sides."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dialogen.contracts import SegmentLookup
from dialogen.conversation.state import ConversationState
from dialogen.participation.figures import PersonRecord, StartRecord, StartTally
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
        col(p.mail_reached),
        col(p.mail_undeliverable),
        col(ProgressRow.state),
    ).join(ProgressRow, col(ProgressRow.participant_id) == p.id, isouter=True)
    statement = statement.where(col(p.is_test).is_(False))  # `dialoog chat` counts nowhere
    segment = released_segments(session, municipalities)
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
        mail_reached,
        undeliverable,
        state,
    ) in session.connection().execute(statement):
        records.append(
            PersonRecord(
                segment=segment(role, code, province, networks),
                invited=invited,
                completed=_completed(open_state(state, cipher)),
                consent=consent,
                opted_out=opted_out,
                reachable_in_teams=pid in reached and reachable,
                reached_by_mail=mail_reached and not undeliverable,
            )
        )
    return records


def released_segments(
    session: Session,
    municipalities: SegmentLookup,
    derived: dict[tuple[str | None, ...], Segment] | None = None,
) -> Callable[[str | None, str | None, str | None, str | None], Segment]:
    """A participant row's columns (role, municipality code, province, networks) -> its released
    segment; many people share one, so each is derived once. ``derived`` may keep the segments
    derived (before release, which is looked up anew) for the next call."""
    released = segment_releases.current(session)
    known: dict[tuple[str | None, ...], Segment] = {} if derived is None else derived
    shown: dict[Segment, Segment] = {}  # many rows share a segment: each is released once

    def segment(
        role: str | None, code: str | None, province: str | None, networks: str | None
    ) -> Segment:
        found = known.get((role, code, province, networks))
        if found is None:
            found = segment_of(
                role=role,
                municipality_code=code,
                province=province,
                networks=networks,
                municipalities=municipalities,
            )
            known[(role, code, province, networks)] = found
        result = shown.get(found)
        if result is None:
            as_released = released.get(Cell.of(found))
            result = shown[found] = found if as_released is None else as_released.as_segment()
        return result

    return segment


def invited_by_segment(
    session: Session,
    *,
    municipalities: SegmentLookup,
    derived: dict[tuple[str | None, ...], Segment] | None = None,
) -> dict[Segment, int]:
    """How many invitees each released segment holds (counted in the database, per segment)."""
    p = ParticipantRow
    statement = (
        sa_select(
            col(p.role), col(p.municipality_code), col(p.province), col(p.networks), func.count()
        )
        # "= true", not "invited" alone: SQLite then reads the covering index
        # ix_participant_invited_segment in group order (migration 0018)
        .where(col(p.invited) == true())
        .group_by(col(p.role), col(p.municipality_code), col(p.province), col(p.networks))
    )
    segment = released_segments(session, municipalities, derived)
    counts: dict[Segment, int] = {}
    for role, code, province, networks, count in session.connection().execute(statement):
        key = segment(role, code, province, networks)
        counts[key] = counts.get(key, 0) + count
    return counts


def starts(
    session: Session, *, dialogue_key: str, step_key: str | None = None
) -> list[StartRecord]:
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
    if step_key is not None:
        statement = statement.where(col(AnswerRow.step_key) == step_key)
    return [
        StartRecord(step, pseudonym, Segment(role, province, parse_networks(networks or "")))
        for step, pseudonym, role, province, networks in session.execute(statement).all()
    ]


def start_tally(session: Session, *, dialogue_key: str, step_key: str) -> StartTally:
    """Who started ``step_key``, per group: distinct pseudonyms per role and per province counted
    in the database (an empty text is no role or province, as a segment reads it), and per
    network from the distinct (pseudonym, networks) pairs — one answer can name several networks.
    Read from the index ix_answer_step_segment alone (migration 0018)."""
    a = AnswerRow
    in_step = (col(a.dialogue_key) == dialogue_key, col(a.step_key) == step_key)
    pseudonyms = func.count(func.distinct(col(a.pseudonym)))
    connection = session.connection()
    by_group = []
    for column in (col(a.role), col(a.province)):
        group = func.nullif(column, "")
        statement = sa_select(group, pseudonyms).where(*in_step).group_by(group)
        by_group.append({g: int(n) for g, n in connection.execute(statement)})
    pairs = sa_select(col(a.pseudonym), col(a.networks)).where(*in_step, col(a.networks) != "")
    started: dict[str, set[str]] = {}
    for pseudonym, networks in connection.execute(pairs.distinct()):
        for network in parse_networks(networks):
            started.setdefault(network, set()).add(pseudonym)
    return StartTally(by_group[0], by_group[1], {g: len(p) for g, p in started.items()})


def _completed(state: Mapping[str, Any] | None) -> frozenset[str]:
    try:
        return frozenset(ConversationState.from_dict(state).completed_steps)
    except (ValueError, KeyError, TypeError):
        return frozenset()


@dataclass(frozen=True)
class FlagTotals:
    invited: int
    consented: int  # and not opted out
    opted_out: int
    reached_in_teams: int  # invited, the bot installed with them and reachable there
    reached_by_mail: int  # invited, a mail went out to them or came from them, no bounce since


def flag_totals(session: Session) -> FlagTotals:
    """The dialogue-wide totals, counted in the database; test participants count nowhere. The
    reach per channel is the report's (see :func:`people`)."""
    p = ParticipantRow
    in_teams = (
        sa_select(col(ConversationReferenceRow.participant_id))
        .where(
            col(ConversationReferenceRow.participant_id) == col(p.id),
            col(ConversationReferenceRow.channel) == "teams",
        )
        .exists()
    )
    statement = sa_select(
        func.count().filter(col(p.invited)),
        func.count().filter(col(p.consent) & ~col(p.opted_out)),
        func.count().filter(col(p.opted_out)),
        func.count().filter(col(p.invited) & col(p.teams_reachable) & in_teams),
        func.count().filter(col(p.invited) & col(p.mail_reached) & ~col(p.mail_undeliverable)),
    ).where(col(p.is_test).is_(False))
    return FlagTotals(*(int(n) for n in session.connection().execute(statement).one()))


class CompletedSteps:
    """How many participants completed each step. Progress is sealed, so each state is opened
    in Python; the steps a stored state opens to are kept, keyed by its sealed text, so a later
    count opens only the states written since (a new seal has a new nonce, hence a new text).
    Only the texts still stored are kept. Holds no participant id; one per process."""

    def __init__(self, cipher: PayloadCipher) -> None:
        self._cipher = cipher
        self._opened: dict[str, frozenset[str]] = {}

    def count(self, session: Session) -> dict[str, int]:
        known, opened = self._opened, {}
        counts: dict[str, int] = {}
        statement = (
            sa_select(cast(col(ProgressRow.state), String))
            .join(ParticipantRow, col(ParticipantRow.id) == col(ProgressRow.participant_id))
            .where(col(ParticipantRow.is_test).is_(False))  # `dialoog chat` counts nowhere
        )
        for (text,) in session.connection().execute(statement):
            steps = known.get(text)
            if steps is None:
                steps = _completed(open_state(json.loads(text), self._cipher))
            opened[text] = steps
            for step in steps:
                counts[step] = counts.get(step, 0) + 1
        self._opened = opened  # replaced whole: a concurrent count reads one or the other
        return counts


def started_by_step(session: Session, *, dialogue_key: str) -> dict[str, int]:
    """How many pseudonyms answered something in each step."""
    statement = (
        sa_select(col(AnswerRow.step_key), func.count(func.distinct(col(AnswerRow.pseudonym))))
        .where(col(AnswerRow.dialogue_key) == dialogue_key)
        .group_by(col(AnswerRow.step_key))
    )
    return {step: int(n) for step, n in session.connection().execute(statement)}


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
