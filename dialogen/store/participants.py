"""Data access for the identity side: participants, their progress and conversation references.

The progress state is sealed at rest (:mod:`dialogen.privacy.payload_cipher`): which questions
someone answered, passed over or is at would otherwise match the set of questions each pseudonym
answered. Readers open it with the cipher their caller hands in (:func:`open_state`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from dialogen.privacy.payload_cipher import PayloadCipher, SealError
from dialogen.store.tables import ConversationReferenceRow, ParticipantRow, ProgressRow, table_of
from dialogen.store.upserts import insert_or_update

_PROGRESS = table_of(ProgressRow)
_STATE = sa_select(_PROGRESS.c.state).where(
    _PROGRESS.c.participant_id == bindparam("participant_id")
)


def find(
    session: Session,
    *,
    aad_object_id: str | None = None,
    teams_user_id: str | None = None,
    email: str | None = None,
    for_update: bool = False,
) -> ParticipantRow | None:
    """The participant known by any of these identifiers (object id, then Teams id, then mail);
    ``for_update`` also holds their row lock until the transaction ends (see :func:`lock`)."""
    given = {
        name: value
        for name, value in (
            ("aad_object_id", aad_object_id),
            ("teams_user_id", teams_user_id),
            ("email", email.lower() if email else None),
        )
        if value
    }
    if not given:
        return None
    rows = session.exec(_find_statement(tuple(given), for_update), params=given).all()
    for attribute, value in given.items():  # in order of preference
        for row in rows:
            if getattr(row, attribute) == value:
                return row
    return None


@lru_cache(maxsize=16)
def _find_statement(
    identifiers: tuple[str, ...], for_update: bool
) -> SelectOfScalar[ParticipantRow]:
    """Built once per combination of identifiers (see ``dialogen.store.upserts`` for why)."""
    statement = select(ParticipantRow).where(
        or_(*(getattr(ParticipantRow, name) == bindparam(name) for name in identifiers))
    )
    return statement.with_for_update() if for_update else statement


def create(session: Session, *, now: datetime, **fields: Any) -> ParticipantRow:
    if fields.get("email"):
        fields["email"] = fields["email"].lower()
    row = ParticipantRow(id=uuid.uuid4().hex, created_at=now, **fields)
    session.add(row)
    session.flush()
    return row


def find_or_create(
    session: Session,
    *,
    now: datetime,
    aad_object_id: str | None = None,
    teams_user_id: str | None = None,
    email: str | None = None,
    for_update: bool = False,
    **fields: Any,
) -> ParticipantRow:
    """The participant with these identifiers, registered now if new (safe against a concurrent
    first message: the losing insert rolls back to a savepoint and finds the winner's row).
    With ``for_update`` the row comes back locked; a row inserted here is held by its insert."""
    ids = {"aad_object_id": aad_object_id, "teams_user_id": teams_user_id, "email": email}
    row = find(session, **ids, for_update=for_update)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            return create(session, now=now, **{k: v for k, v in ids.items() if v}, **fields)
    except IntegrityError as error:
        if not is_duplicate_error(error):
            raise
    row = find(session, **ids, for_update=for_update)
    if row is None:
        raise RuntimeError("participant vanished after a duplicate insert")
    return row


def get(session: Session, participant_id: str) -> ParticipantRow | None:
    return session.get(ParticipantRow, participant_id)


_LOCK = select(ParticipantRow).where(ParticipantRow.id == bindparam("id")).with_for_update()
"""Built once (see ``dialogen.store.upserts`` for why): it runs for every mail reply."""


def lock(session: Session, participant_id: str) -> ParticipantRow | None:
    """Load the participant and hold their row lock until the transaction ends (PostgreSQL);
    SQLite's ``BEGIN IMMEDIATE`` already serialises writers."""
    return session.exec(_LOCK, params={"id": participant_id}).first()


def load_state(
    session: Session, participant_id: str, *, cipher: PayloadCipher
) -> dict[str, Any] | None:
    state = (
        session.connection()
        .execute(_STATE, {"participant_id": participant_id})
        .scalar_one_or_none()
    )
    return open_state(state, cipher) if state is not None else None


def save_state(
    session: Session, participant_id: str, state: dict[str, Any], *, cipher: PayloadCipher
) -> None:
    insert_or_update(
        session,
        _PROGRESS,
        [{"participant_id": participant_id, "state": cipher.seal_json(state)}],
        unique=["participant_id"],
        update=["state"],
    )


def open_state(stored: Any, cipher: PayloadCipher) -> dict[str, Any] | None:
    """A stored progress state, opened (a state written before sealing reads as it is); None
    when it cannot be opened (sealed under another secret: the conversation starts afresh)."""
    if not isinstance(stored, dict):
        return None
    try:
        return cipher.open_json(stored)
    except SealError:
        return None


def save_reference(
    session: Session, *, participant_id: str, channel: str, reference: dict[str, Any], now: datetime
) -> None:
    row = session.get(ConversationReferenceRow, (participant_id, channel))
    if row is None:
        session.add(
            ConversationReferenceRow(
                participant_id=participant_id, channel=channel, reference=reference, updated_at=now
            )
        )
    elif row.reference != reference:
        row.reference = reference
        row.updated_at = now
        session.add(row)


def load_reference(session: Session, *, participant_id: str, channel: str) -> dict[str, Any] | None:
    row = session.get(ConversationReferenceRow, (participant_id, channel))
    return dict(row.reference) if row else None


def is_duplicate_error(error: IntegrityError) -> bool:
    return "unique" in str(error.orig).lower() or "duplicate" in str(error.orig).lower()


def names(session: Session) -> list[str]:
    """Every participant's name as they are known (for masking names in contributions)."""
    rows = session.exec(select(ParticipantRow.name).where(col(ParticipantRow.name).is_not(None)))
    return [name for name in rows.all() if name]


def names_version(session: Session) -> tuple[int, datetime | None]:
    """Changes when the list of names changes (count of named participants, newest of them)."""
    statement = sa_select(func.count(), func.max(col(ParticipantRow.created_at))).where(
        col(ParticipantRow.name).is_not(None)
    )
    count, newest = session.execute(statement).one()
    return int(count), newest
