"""What the report and the exports read: anonymous rows only — answers, contributions (the masked
text, never the original) and reactions with their pseudonym and released segment, and the
participation records (``participation_queries``), which carry no identity."""

from __future__ import annotations

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dialogen.contracts import SegmentLookup
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.reporting.facts import AnswerFact, ContributionFact, ReactionFact, ReportFacts
from dialogen.stakeholders.segments import Segment, parse_networks
from dialogen.store import participation_queries
from dialogen.store.contributions import VISIBLE, ContributionRow, ReactionRow
from dialogen.store.tables import AnswerRow


def facts(
    session: Session, *, dialogue_key: str, municipalities: SegmentLookup, cipher: PayloadCipher
) -> ReportFacts:
    return ReportFacts(
        people=tuple(
            participation_queries.people(session, municipalities=municipalities, cipher=cipher)
        ),
        starts=tuple(participation_queries.starts(session, dialogue_key=dialogue_key)),
        answers=answers(session, dialogue_key=dialogue_key),
        contributions=contributions(session, dialogue_key=dialogue_key),
        reactions=reactions(session, dialogue_key=dialogue_key),
    )


def _segment(role: str | None, province: str | None, networks: str | None) -> Segment:
    return Segment(role, province, parse_networks(networks or ""))


def answers(session: Session, *, dialogue_key: str) -> tuple[AnswerFact, ...]:
    a = AnswerRow
    statement = (
        sa_select(
            col(a.pseudonym),
            col(a.step_key),
            col(a.question_id),
            col(a.value),
            col(a.role),
            col(a.province),
            col(a.networks),
            col(a.recorded_on),
        )
        .where(col(a.dialogue_key) == dialogue_key)
        .order_by(col(a.id))
    )
    return tuple(
        AnswerFact(pseudonym, step, question, value, _segment(role, province, networks), day)
        for pseudonym, step, question, value, role, province, networks, day in session.execute(
            statement
        )
    )


def contributions(session: Session, *, dialogue_key: str) -> tuple[ContributionFact, ...]:
    c = ContributionRow
    statement = (
        sa_select(
            col(c.id),
            col(c.pseudonym),
            col(c.step_key),
            col(c.question_id),
            col(c.text),
            col(c.state),
            col(c.agree),
            col(c.disagree),
            col(c.passes),
            col(c.role),
            col(c.province),
            col(c.networks),
        )
        .where(col(c.dialogue_key) == dialogue_key)
        .order_by(col(c.id))
    )
    return tuple(
        ContributionFact(
            cid,
            pseudonym,
            step,
            question,
            text,
            state == VISIBLE,
            agree,
            disagree,
            passes,
            _segment(role, province, networks),
        )
        for (
            cid,
            pseudonym,
            step,
            question,
            text,
            state,
            agree,
            disagree,
            passes,
            role,
            province,
            networks,
        ) in session.execute(statement)
    )


def reactions(session: Session, *, dialogue_key: str) -> tuple[ReactionFact, ...]:
    r = ReactionRow
    statement = (
        sa_select(
            col(r.pseudonym),
            col(r.contribution_id),
            col(r.vote),
            col(r.role),
            col(r.province),
            col(r.networks),
        )
        .where(col(r.dialogue_key) == dialogue_key)
        .order_by(col(r.id))
    )
    return tuple(
        ReactionFact(pseudonym, contribution, vote, _segment(role, province, networks))
        for pseudonym, contribution, vote, role, province, networks in session.execute(statement)
    )
