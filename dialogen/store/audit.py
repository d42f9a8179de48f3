"""The audit log: every facilitator or operator action — who, what, when, how many."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, Session, SQLModel, col, select


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: str = Field(primary_key=True, max_length=32)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    actor: str = Field(max_length=320)  # facilitator's object id or e-mail, or "cli:<user>"
    action: str = Field(max_length=60)  # e.g. "broadcast", "nudge", "import", "stats"
    target: str | None = Field(default=None, max_length=100)  # e.g. the step key
    count: int = 0
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str | None = None,
    count: int = 0,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditRow(
            id=secrets.token_hex(16),
            at=at,
            actor=actor,
            action=action,
            target=target,
            count=count,
            details=details or {},
        )
    )


def recent(session: Session, *, limit: int = 50) -> list[AuditRow]:
    return list(session.exec(select(AuditRow).order_by(col(AuditRow.at).desc()).limit(limit)).all())
