"""Verdiepen's generated follow-up questions: the draft a facilitator edits, and once confirmed,
the questions the step asks. Questions only (theme labels in them); no person, no answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Connection, DateTime
from sqlalchemy import select as core_select
from sqlmodel import Field, Session, SQLModel

from dialogen.store.database import connection_of
from dialogen.store.tables import table_of


class FollowUpRow(SQLModel, table=True):
    __tablename__ = "follow_up"

    dialogue_key: str = Field(primary_key=True, max_length=60)
    step_key: str = Field(primary_key=True, max_length=20)
    # [{"id": ..., "text": ..., "required": ...}] in the order asked
    questions: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    confirmed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


def get(session: Session, *, dialogue_key: str, step_key: str) -> FollowUpRow | None:
    return session.get(FollowUpRow, (dialogue_key, step_key), with_for_update=True)


def save(
    session: Session,
    *,
    dialogue_key: str,
    step_key: str,
    questions: list[dict[str, Any]],
    now: datetime,
    confirmed: bool,
) -> None:
    row = get(session, dialogue_key=dialogue_key, step_key=step_key)
    if row is None:
        row = FollowUpRow(dialogue_key=dialogue_key, step_key=step_key, updated_at=now)
    row.questions = questions
    row.updated_at = now
    row.confirmed_at = now if confirmed else None
    session.add(row)


def confirmed(db: Session | Connection, *, dialogue_key: str) -> dict[str, list[dict[str, Any]]]:
    """Step key -> the confirmed questions (a session or a read-only connection)."""
    table = table_of(FollowUpRow)
    rows = connection_of(db).execute(
        core_select(table.c.step_key, table.c.questions).where(
            table.c.dialogue_key == dialogue_key, table.c.confirmed_at.is_not(None)
        )
    )
    return {step_key: list(questions) for step_key, questions in rows}
