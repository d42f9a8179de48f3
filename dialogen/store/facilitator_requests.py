"""Broadcast previews waiting for a facilitator's "Bevestigen" or "Annuleren".

A preview gets a random token; the buttons on its card carry it back. Deciding takes the row lock,
so a repeated or concurrent click finds the request already decided and sends nothing twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, Session, SQLModel, select


class FacilitatorRequestRow(SQLModel, table=True):
    __tablename__ = "facilitator_request"

    token: str = Field(primary_key=True, max_length=32)
    actor: str = Field(max_length=320)
    action: str = Field(max_length=20)  # "step_prompt" or "nudge"
    step_key: str = Field(max_length=20)
    group_name: str | None = Field(default=None, max_length=60)  # a reminder to one group only
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    decided_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    decision: str | None = Field(default=None, max_length=10)  # "confirmed" or "cancelled"


def create(
    session: Session,
    *,
    actor: str,
    action: str,
    step_key: str,
    now: datetime,
    group: str | None = None,
) -> str:
    token = secrets.token_hex(16)
    session.add(
        FacilitatorRequestRow(
            token=token,
            actor=actor,
            action=action,
            step_key=step_key,
            group_name=group,
            created_at=now,
        )
    )
    return token


def lock(session: Session, token: str) -> FacilitatorRequestRow | None:
    statement = (
        select(FacilitatorRequestRow).where(FacilitatorRequestRow.token == token).with_for_update()
    )
    return session.exec(statement).first()


def decide(session: Session, row: FacilitatorRequestRow, *, decision: str, now: datetime) -> None:
    row.decision = decision
    row.decided_at = now
    session.add(row)
