"""Contributions and reactions: the anonymous side of Verrijken.

Like ``answer``, nothing here knows a participant id: a contribution carries its author's
pseudonym (so the author is never shown their own, and can be told when it is hidden), a reaction
its reactor's pseudonym (so nobody reacts twice), both the k-safe segment and a day. Ids are
random and the tables have no hidden rowid on SQLite, so neither order nor time links a row to a
person. ``contribution_report`` holds who reported what (a pseudonym, to count each reporter
once); ``reaction_cursor`` holds which contribution a participant is shown now, and the batch in
their last mail — by pseudonym, never on the identity side (the progress row), so a snapshot of
who was shown what cannot link a reaction to a person.

The counters on a contribution (agree, disagree, pass, per group) are kept up to date in the same
unit of work as each reaction, under the contribution's row lock; routing reads them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Text,
    UniqueConstraint,
    bindparam,
    cast,
    func,
    union_all,
    update,
)
from sqlmodel import Field, Session, SQLModel, col, select

from dialogen.store.tables import table_of
from dialogen.store.upserts import insert_new

PENDING, VISIBLE, HIDDEN = "pending", "visible", "hidden"
ANSWER = ""  # source_key of a contribution that is a shared answer (one per question)


class ContributionRow(SQLModel, table=True):
    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("dialogue_key", "pseudonym", "step_key", "question_id", "source_key"),
        {"sqlite_with_rowid": False},
    )

    id: str = Field(primary_key=True, max_length=32)
    dialogue_key: str = Field(max_length=60)
    step_key: str = Field(max_length=20)
    question_id: str = Field(max_length=60)
    # "" for a shared answer; for an addition to a reaction, the contribution it reacted to
    source_key: str = Field(default=ANSWER, max_length=32)
    pseudonym: str = Field(max_length=64)
    role: str | None = Field(default=None, max_length=60)
    province: str | None = Field(default=None, max_length=40)
    networks: str = Field(default="", max_length=60)
    text: str = Field(max_length=4000)  # masked: what others read
    original: str = Field(max_length=4000)  # as written, for a facilitator adjusting the masking
    # what the masking hid, as [start, end, category] in ``original`` (a facilitator may adjust)
    spans: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = Field(default=VISIBLE, max_length=10)
    hidden_reason: str | None = Field(default=None, max_length=300)
    reports: int = 0
    agree: int = 0
    disagree: int = 0
    passes: int = 0
    groups: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_on: date
    visible_on: date | None = None


class ReactionRow(SQLModel, table=True):
    __tablename__ = "reaction"
    __table_args__ = (
        UniqueConstraint("contribution_id", "pseudonym"),
        {"sqlite_with_rowid": False},
    )

    id: str = Field(primary_key=True, max_length=32)
    dialogue_key: str = Field(max_length=60, index=True)
    contribution_id: str = Field(foreign_key="contribution.id", max_length=32)
    pseudonym: str = Field(max_length=64, index=True)
    vote: str = Field(max_length=10)  # eens / oneens / pas
    role: str | None = Field(default=None, max_length=60)
    province: str | None = Field(default=None, max_length=40)
    networks: str = Field(default="", max_length=60)
    recorded_on: date


class ContributionReportRow(SQLModel, table=True):
    __tablename__ = "contribution_report"
    __table_args__ = ({"sqlite_with_rowid": False},)

    contribution_id: str = Field(primary_key=True, foreign_key="contribution.id", max_length=32)
    pseudonym: str = Field(primary_key=True, max_length=64)


class ReactionCursorRow(SQLModel, table=True):
    __tablename__ = "reaction_cursor"
    __table_args__ = ({"sqlite_with_rowid": False},)

    dialogue_key: str = Field(primary_key=True, max_length=60)
    pseudonym: str = Field(primary_key=True, max_length=64)
    step_key: str = Field(primary_key=True, max_length=20)
    question_id: str = Field(primary_key=True, max_length=60)
    current: str | None = Field(default=None, max_length=32)  # shown in the chat now
    batch: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


# ---------------------------------------------------------------- contributions


def save_answer(
    session: Session,
    *,
    dialogue_key: str,
    step_key: str,
    question_id: str,
    pseudonym: str,
    segment: dict[str, Any],
    text: str,
    original: str,
    spans: list[Any],
    state: str,
    day: date,
) -> ContributionRow:
    """The contribution of a shared answer: new, or updated when the answer changed (a changed
    text is moderated again, as a new one would be)."""
    found = session.exec(
        select(ContributionRow).where(
            ContributionRow.dialogue_key == dialogue_key,
            ContributionRow.pseudonym == pseudonym,
            ContributionRow.step_key == step_key,
            ContributionRow.question_id == question_id,
            ContributionRow.source_key == ANSWER,
        )
    ).first()
    if found is None:
        return add(
            session,
            dialogue_key=dialogue_key,
            step_key=step_key,
            question_id=question_id,
            source_key=ANSWER,
            pseudonym=pseudonym,
            segment=segment,
            text=text,
            original=original,
            spans=spans,
            state=state,
            day=day,
        )
    if found.original != original:
        found.text, found.original, found.spans = text, original, spans
        if found.state != HIDDEN:
            found.state = state
            found.visible_on = day if state == VISIBLE else None
        session.add(found)
    return found


def add(
    session: Session,
    *,
    dialogue_key: str,
    step_key: str,
    question_id: str,
    source_key: str,
    pseudonym: str,
    segment: dict[str, Any],
    text: str,
    original: str,
    spans: list[Any],
    state: str,
    day: date,
) -> ContributionRow:
    row = ContributionRow(
        id=secrets.token_hex(16),
        dialogue_key=dialogue_key,
        step_key=step_key,
        question_id=question_id,
        source_key=source_key,
        pseudonym=pseudonym,
        text=text,
        original=original,
        spans=spans,
        state=state,
        created_on=day,
        visible_on=day if state == VISIBLE else None,
        **segment,
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, contribution_id: str) -> ContributionRow | None:
    return session.get(ContributionRow, contribution_id)


# The statements a Verrijken turn runs every time are built once, with parameters: building one
# (and its cache key) costs about as much as running it on SQLite.
_LOCK = (
    select(ContributionRow)
    .where(ContributionRow.id == bindparam("contribution_id"))
    .with_for_update()
)


def lock(session: Session, contribution_id: str) -> ContributionRow | None:
    return session.exec(_LOCK, params={"contribution_id": contribution_id}).first()


class Counters(NamedTuple):
    """What routing reads of a visible contribution: no text, only its author's pseudonym and its
    reaction counters — those per group as the stored JSON text (``{group: [agree, disagree,
    pass]}``), so a reader that kept the decoded value of an unchanged row need not decode it
    again. Hashable: a whole row is a key."""

    id: str
    pseudonym: str
    state: str
    agree: int
    disagree: int
    passes: int
    groups: str
    visible_on: date | None


_COUNTERS = tuple(
    cast(ContributionRow.groups, Text).label(name)
    if name == "groups"
    else getattr(ContributionRow, name)
    for name in Counters._fields
)


def visible(db: Session | Connection, *, dialogue_key: str) -> list[Counters]:
    """Every contribution others may read now, with its reaction counters (routing's input); a
    plain read, so it can run on a connection outside any unit of work (``Database.read``)."""
    statement = select(*_COUNTERS).where(
        ContributionRow.dialogue_key == dialogue_key, ContributionRow.state == VISIBLE
    )
    return [Counters(*row) for row in db.execute(statement)]


_SHOWN = select(ContributionRow.id, ContributionRow.text, ContributionRow.pseudonym).where(
    col(ContributionRow.id).in_(bindparam("ids", expanding=True)),
    ContributionRow.state == VISIBLE,
)


def shown(session: Session, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Of ``ids``, those visible now: their masked text and their author's pseudonym (so a turn
    can check it never shows anyone their own)."""
    if not ids:
        return {}
    rows = session.execute(_SHOWN, {"ids": list(ids)}).all()
    return {cid: (text, author) for cid, text, author in rows}


def by_code(session: Session, *, dialogue_key: str, code: str) -> list[ContributionRow]:
    """The contributions whose id starts with ``code`` (a facilitator types the start)."""
    statement = select(ContributionRow).where(
        ContributionRow.dialogue_key == dialogue_key, col(ContributionRow.id).startswith(code)
    )
    return list(session.exec(statement.limit(2)).all())


def by_state(
    session: Session, *, dialogue_key: str, states: Iterable[str]
) -> list[ContributionRow]:
    statement = (
        select(ContributionRow)
        .where(
            ContributionRow.dialogue_key == dialogue_key,
            col(ContributionRow.state).in_(list(states)),
        )
        .order_by(col(ContributionRow.reports).desc(), col(ContributionRow.created_on))
    )
    return list(session.exec(statement).all())


def reported(session: Session, *, dialogue_key: str) -> list[ContributionRow]:
    """Visible contributions that some participant reported (a facilitator may want to look)."""
    statement = select(ContributionRow).where(
        ContributionRow.dialogue_key == dialogue_key,
        ContributionRow.state == VISIBLE,
        col(ContributionRow.reports) > 0,
    )
    return list(session.exec(statement).all())


# ---------------------------------------------------------------- reactions


_REACTED = union_all(
    select(ReactionRow.contribution_id).where(
        ReactionRow.dialogue_key == bindparam("dialogue_key"),
        ReactionRow.pseudonym == bindparam("pseudonym"),
    ),
    select(ContributionReportRow.contribution_id).where(
        ContributionReportRow.pseudonym == bindparam("pseudonym")
    ),
)


def reacted(session: Session, *, dialogue_key: str, pseudonym: str) -> set[str]:
    """The contributions this pseudonym reacted to or reported (never offered again): one
    statement."""
    found = session.execute(_REACTED, {"dialogue_key": dialogue_key, "pseudonym": pseudonym})
    return set(found.scalars())


def react(
    session: Session,
    *,
    dialogue_key: str,
    contribution_id: str,
    pseudonym: str,
    vote: str,
    segment: dict[str, Any],
    groups: Iterable[str],
    day: date,
) -> ContributionRow | None:
    """Record one reaction and count it on the contribution (returned, with its new counters);
    None when this pseudonym reacted to it before (nothing changes) or it is gone."""
    row = lock(session, contribution_id)
    if row is None:
        return None
    inserted = insert_new(
        session,
        table_of(ReactionRow),
        {
            "id": secrets.token_hex(16),
            "dialogue_key": dialogue_key,
            "contribution_id": contribution_id,
            "pseudonym": pseudonym,
            "vote": vote,
            "recorded_on": day,
            **segment,
        },
        unique=["contribution_id", "pseudonym"],
    )
    if not inserted:
        return None
    slot = {"eens": 0, "oneens": 1, "pas": 2}[vote]
    counts = {group: list(values) for group, values in (row.groups or {}).items()}
    for group in groups:
        counts.setdefault(group, [0, 0, 0])[slot] += 1
    row.groups = counts
    row.agree += slot == 0
    row.disagree += slot == 1
    row.passes += slot == 2
    session.add(row)
    return row


def report(session: Session, *, contribution_id: str, pseudonym: str) -> int | None:
    """Record a report (once per pseudonym); the contribution's report count, None if gone."""
    row = lock(session, contribution_id)
    if row is None:
        return None
    inserted = insert_new(
        session,
        table_of(ContributionReportRow),
        {"contribution_id": contribution_id, "pseudonym": pseudonym},
        unique=["contribution_id", "pseudonym"],
    )
    if inserted:
        row.reports += 1
        session.add(row)
    return row.reports


def reaction_totals(session: Session, *, dialogue_key: str) -> int:
    statement = select(func.count()).where(ReactionRow.dialogue_key == dialogue_key)
    return int(session.exec(statement).one())


# ---------------------------------------------------------------- moderation


def set_state(
    session: Session, row: ContributionRow, *, state: str, reason: str | None, day: date
) -> None:
    row.state = state
    row.hidden_reason = reason if state == HIDDEN else None
    if state == VISIBLE and row.visible_on is None:
        row.visible_on = day
    session.add(row)


def set_text(session: Session, row: ContributionRow, *, text: str, spans: list[Any]) -> None:
    row.text, row.spans = text, spans
    session.add(row)


def forget_reports(session: Session, contribution_id: str) -> None:
    """A facilitator approved a reported contribution: the reports are dealt with."""
    session.exec(
        update(ContributionRow).where(col(ContributionRow.id) == contribution_id).values(reports=0)
    )


# ---------------------------------------------------------------- the cursor


def cursor(
    session: Session, *, dialogue_key: str, pseudonym: str, step_key: str, question_id: str
) -> ReactionCursorRow | None:
    row = session.get(ReactionCursorRow, (dialogue_key, pseudonym, step_key, question_id))
    if row is not None:
        # the session holds its rows weakly: kept for the unit of work, so the turn that read the
        # cursor before deciding saves it afterwards without reading it again
        session.info.setdefault("reaction_cursors", []).append(row)
    return row


def save_cursor(
    session: Session,
    *,
    dialogue_key: str,
    pseudonym: str,
    step_key: str,
    question_id: str,
    current: str | None,
    batch: list[str] | None = None,
) -> None:
    row = cursor(
        session,
        dialogue_key=dialogue_key,
        pseudonym=pseudonym,
        step_key=step_key,
        question_id=question_id,
    )
    if row is None:
        row = ReactionCursorRow(
            dialogue_key=dialogue_key,
            pseudonym=pseudonym,
            step_key=step_key,
            question_id=question_id,
        )
    row.current = current
    if batch is not None:
        row.batch = list(batch)
    session.add(row)
