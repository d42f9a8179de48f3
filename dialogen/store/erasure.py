"""Erasing identities: one participant on request, or everyone after the dialogue (purge).

What goes: the participant row and everything keyed by it (progress, conversation references,
queued and sent messages); with ``with_answers`` also the answers under their pseudonym. What
stays: anonymous answers (unless asked), and — for a request — a keyed hash of the address
(``erased_address``), so a re-import does not invite that person again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, delete, func
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col

from dialogen.store.facilitator_requests import FacilitatorRequestRow
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import (
    AnswerRow,
    ConversationReferenceRow,
    ParticipantRow,
    ProgressRow,
    table_of,
)
from dialogen.store.upserts import insert_new


class ErasedAddressRow(SQLModel, table=True):
    __tablename__ = "erased_address"

    digest: str = Field(primary_key=True, max_length=64)  # keyed hash of the lower-case address
    erased_on: date


_ERASED = table_of(ErasedAddressRow)


@dataclass(frozen=True)
class Erased:
    messages: int
    references: int
    answers: int


def erase_participant(session: Session, *, participant_id: str, pseudonym: str | None) -> Erased:
    """Everything keyed by the participant; their answers too when ``pseudonym`` is given."""
    messages = _delete(session, OutboxRow, col(OutboxRow.participant_id) == participant_id)
    references = _delete(
        session,
        ConversationReferenceRow,
        col(ConversationReferenceRow.participant_id) == participant_id,
    )
    _delete(session, ProgressRow, col(ProgressRow.participant_id) == participant_id)
    _delete(session, ParticipantRow, col(ParticipantRow.id) == participant_id)
    answers = 0
    if pseudonym is not None:
        answers = _delete(session, AnswerRow, col(AnswerRow.pseudonym) == pseudonym)
    return Erased(messages, references, answers)


def remember_erased(session: Session, *, digest: str, day: date) -> None:
    insert_new(session, _ERASED, {"digest": digest, "erased_on": day}, unique=["digest"])


def erased_among(session: Session, digests: Iterable[str]) -> set[str]:
    wanted = list(set(digests))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found |= set(
            session.execute(
                sa_select(col(ErasedAddressRow.digest)).where(
                    col(ErasedAddressRow.digest).in_(chunk)
                )
            ).scalars()
        )
    return found


@dataclass(frozen=True)
class IdentityCounts:
    participants: int
    references: int
    progress: int
    messages: int
    erased_addresses: int
    facilitator_requests: int


def identity_counts(session: Session) -> IdentityCounts:
    def count(model: type[SQLModel]) -> int:
        rows = sa_select(func.count()).select_from(table_of(model))
        return int(session.execute(rows).scalar_one())

    return IdentityCounts(
        participants=count(ParticipantRow),
        references=count(ConversationReferenceRow),
        progress=count(ProgressRow),
        messages=count(OutboxRow),
        erased_addresses=count(ErasedAddressRow),
        facilitator_requests=count(FacilitatorRequestRow),
    )


def purge_identities(session: Session) -> IdentityCounts:
    """Every identity: participants and all that is keyed by them, the erased addresses and the
    facilitators' pending requests. Answers (anonymous) and the audit log stay."""
    counts = identity_counts(session)
    for model in (
        OutboxRow,
        ConversationReferenceRow,
        ProgressRow,
        ParticipantRow,
        ErasedAddressRow,
        FacilitatorRequestRow,
    ):
        session.execute(delete(table_of(model)))
    return counts


def _delete(session: Session, model: type[SQLModel], condition: ColumnElement[bool]) -> int:
    result = session.execute(delete(table_of(model)).where(condition))
    return int(getattr(result, "rowcount", 0) or 0)
