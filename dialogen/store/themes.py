"""Theme curation storage: the last computed theme set, the facilitators' decisions about it (in
order, replayed on every recomputation) and the published list the door hands to Voorkeuren.

Nothing here names a person: a computed theme lists contribution ids (which carry a pseudonym in
``contribution``, never a participant id), a decision names themes and at most one contribution,
and who decided is in the audit log, not here.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Connection, DateTime, func
from sqlalchemy import select as core_select
from sqlmodel import Field, Session, SQLModel, col, select

from dialogen.store.database import connection_of
from dialogen.store.tables import table_of


class ThemeComputationRow(SQLModel, table=True):
    """The theme set as last computed from the contributions (``ThemeSet`` as JSON, version 1)."""

    __tablename__ = "theme_computation"

    dialogue_key: str = Field(primary_key=True, max_length=60)
    computed: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    contributions: int = 0
    computed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ThemeDecisionRow(SQLModel, table=True):
    """One curation decision (rename, merge, split, move, order, drop); ``seq``: their order."""

    __tablename__ = "theme_decision"

    id: str = Field(primary_key=True, max_length=32)
    dialogue_key: str = Field(max_length=60, index=True)
    seq: int
    action: str = Field(max_length=20)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    decided_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ThemePublicationRow(SQLModel, table=True):
    """The curated themes as published: the options of ``options_from: themes`` questions."""

    __tablename__ = "theme_publication"

    dialogue_key: str = Field(primary_key=True, max_length=60)
    options: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    published_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


def computation(session: Session, *, dialogue_key: str) -> ThemeComputationRow | None:
    return session.get(ThemeComputationRow, dialogue_key)


def save_computation(
    session: Session,
    *,
    dialogue_key: str,
    computed: dict[str, Any],
    contributions: int,
    now: datetime,
) -> None:
    row = session.get(ThemeComputationRow, dialogue_key, with_for_update=True)
    if row is None:
        row = ThemeComputationRow(dialogue_key=dialogue_key, computed_at=now)
    row.computed = computed
    row.contributions = contributions
    row.computed_at = now
    session.add(row)


def decisions(session: Session, *, dialogue_key: str) -> list[ThemeDecisionRow]:
    return list(
        session.exec(
            select(ThemeDecisionRow)
            .where(ThemeDecisionRow.dialogue_key == dialogue_key)
            .order_by(col(ThemeDecisionRow.seq))
        ).all()
    )


def add_decision(
    session: Session, *, dialogue_key: str, action: str, data: dict[str, Any], now: datetime
) -> ThemeDecisionRow:
    last = session.exec(
        select(func.max(ThemeDecisionRow.seq)).where(ThemeDecisionRow.dialogue_key == dialogue_key)
    ).one()
    row = ThemeDecisionRow(
        id=secrets.token_hex(16),
        dialogue_key=dialogue_key,
        seq=(last or 0) + 1,
        action=action,
        data=data,
        decided_at=now,
    )
    session.add(row)
    return row


def publication(session: Session, *, dialogue_key: str) -> ThemePublicationRow | None:
    return session.get(ThemePublicationRow, dialogue_key)


def publish(
    session: Session, *, dialogue_key: str, options: list[tuple[str, str]], now: datetime
) -> None:
    row = session.get(ThemePublicationRow, dialogue_key, with_for_update=True)
    if row is None:
        row = ThemePublicationRow(dialogue_key=dialogue_key, published_at=now)
    row.options = [[value, label] for value, label in options]
    row.published_at = now
    session.add(row)


def published_options(db: Session | Connection, *, dialogue_key: str) -> list[tuple[str, str]]:
    """The published (value, label) list; empty when nothing is published. Works on a session or
    a read-only connection (the mail delivery renders the questions as asked)."""
    table = table_of(ThemePublicationRow)
    found = (
        connection_of(db)
        .execute(core_select(table.c.options).where(table.c.dialogue_key == dialogue_key))
        .scalar_one_or_none()
    )
    return [(str(value), str(label)) for value, label in found or ()]
