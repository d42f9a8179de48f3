"""Reports offered as a file in Teams, waiting for the facilitator's file consent (migration 0017).

Any replica may receive the consent (Teams sends it to whichever one the load balancer picks), so
the offer lives here, not in the process that made it. A row holds the hash of the card's token
(the token itself is only in the card), the file's name, the Entra object id of the facilitator it
was offered to, and the Word file sealed with the report-offer key. The report holds only
k-suppressed figures and masked quotes; sealed, it is not readable from the database either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, LargeBinary, delete
from sqlmodel import Field, Session, SQLModel, col

from dialogen.store.outbox import aware, utc


class ReportOfferRow(SQLModel, table=True):
    __tablename__ = "report_offer"

    token_hash: str = Field(primary_key=True, max_length=64)  # sha256 of the card's token
    name: str = Field(max_length=200)
    requester: str | None = Field(default=None, max_length=64)  # Entra object id
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # sealed Word file
    offered_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


@dataclass(frozen=True)
class StoredOffer:
    name: str
    requester: str | None
    content: bytes  # still sealed
    offered_at: datetime


def add(
    session: Session,
    *,
    token_hash: str,
    name: str,
    requester: str | None,
    content: bytes,
    now: datetime,
) -> None:
    session.add(
        ReportOfferRow(
            token_hash=token_hash,
            name=name,
            requester=requester,
            content=content,
            offered_at=utc(now),
        )
    )


def take(session: Session, token_hash: str) -> StoredOffer | None:
    """The offer, locked (a second consent for it waits, then finds it gone)."""
    row = session.get(ReportOfferRow, token_hash, with_for_update=True)
    if row is None:
        return None
    return StoredOffer(row.name, row.requester, row.content, aware(row.offered_at))


def remove(session: Session, token_hash: str) -> None:
    session.exec(delete(ReportOfferRow).where(col(ReportOfferRow.token_hash) == token_hash))


def purge(session: Session, *, before: datetime) -> int:
    """Forget offers made before ``before``; how many."""
    return (
        session.exec(
            delete(ReportOfferRow).where(col(ReportOfferRow.offered_at) < utc(before))
        ).rowcount
        or 0
    )
