"""The persistent outbox: every proactive message (Teams or mail) is a row before it is sent.

``key`` is the idempotency key, e.g. ``nudge:<participant>:<step>:<offset>``: queueing the same
message twice is a no-op. The sender (``planning``) claims due rows, sends them within the
channel's limits and records the result.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for not_before / its turn
    SENDING = "sending"  # claimed by a sender; back to pending if its lease expires
    SENT = "sent"
    FAILED = "failed"  # permanent failure, reason recorded
    CANCELLED = "cancelled"  # no longer needed (e.g. participant opted out or completed)


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "channel", "not_before"),)

    id: str = Field(primary_key=True, max_length=32)
    key: str = Field(max_length=200, unique=True)
    participant_id: str = Field(foreign_key="participant.id", max_length=32, index=True)
    channel: str = Field(max_length=10)  # "teams" or "mail"
    kind: str = Field(max_length=30)  # "step_prompt", "nudge", "step_closed", "invitation", "confirmation"
    step_key: str | None = Field(default=None, max_length=20)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=OutboxStatus.PENDING, max_length=10)
    not_before: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    not_after: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    attempts: int = 0
    lease_until: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


def enqueue(session: Session, *, key: str, participant_id: str, channel: str, kind: str,
            payload: dict[str, Any], now: datetime, not_before: datetime | None = None,
            not_after: datetime | None = None, step_key: str | None = None) -> bool:
    """Queue a message; False (and nothing changes) when a message with this key exists."""
    if session.exec(select(OutboxRow.id).where(OutboxRow.key == key)).first() is not None:
        return False
    row = OutboxRow(id=secrets.token_hex(16), key=key, participant_id=participant_id, channel=channel,
                    kind=kind, step_key=step_key, payload=payload, not_before=not_before or now,
                    not_after=not_after, created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # a concurrent enqueue of the same key won
        return False
    return True


def exists(session: Session, *, key: str) -> bool:
    return session.exec(select(OutboxRow.id).where(OutboxRow.key == key)).first() is not None
