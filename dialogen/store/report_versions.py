"""Report versions (migration 0015): checksums of reports made, and which were approved."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field, Session, SQLModel, col, select


class ReportVersionRow(SQLModel, table=True):
    __tablename__ = "report_version"
    __table_args__ = (Index("ix_report_version_checksum", "dialogue_key", "checksum"),)

    id: str = Field(primary_key=True, max_length=32)
    dialogue_key: str = Field(max_length=60)
    checksum: str = Field(max_length=64)
    made_by: str = Field(max_length=200)
    made_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    approved_by: str | None = Field(default=None, max_length=200)
    approved_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


def made(
    session: Session, *, dialogue_key: str, checksum: str, actor: str, now: datetime
) -> ReportVersionRow:
    """The version with this checksum (the one made first), else a new draft."""
    found = by_checksum(session, dialogue_key=dialogue_key, checksum=checksum)
    if found is not None:
        return found
    row = ReportVersionRow(
        id=secrets.token_hex(4),
        dialogue_key=dialogue_key,
        checksum=checksum,
        made_by=actor,
        made_at=now,
    )
    session.add(row)
    session.flush()
    return row


def by_checksum(session: Session, *, dialogue_key: str, checksum: str) -> ReportVersionRow | None:
    return session.exec(
        select(ReportVersionRow)
        .where(ReportVersionRow.dialogue_key == dialogue_key, ReportVersionRow.checksum == checksum)
        # an approved one first: two reports made at once may both have been recorded
        .order_by(col(ReportVersionRow.approved_at).is_(None), col(ReportVersionRow.made_at))
    ).first()


def get(session: Session, *, dialogue_key: str, code: str) -> ReportVersionRow | None:
    row = session.get(ReportVersionRow, code, with_for_update=True)
    return row if row is not None and row.dialogue_key == dialogue_key else None


def approve(session: Session, row: ReportVersionRow, *, actor: str, now: datetime) -> None:
    row.approved_by, row.approved_at = actor, now
    session.add(row)
