"""Data access for the mail channel, on the identity side: who a mail belongs to, whether their
address works, and how many mails the bot already answered for them lately (loop protection).

The look-ups on every inbound mail run as plain SQL expressions on the session's connection (no
ORM objects, no autoflush): they are on the hot path of mail ingestion (``bench/mail_ingest.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dialogen.conversation.state import ConversationState, Phase
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.store.database import connection_of
from dialogen.store.outbox import OutboxRow, utc
from dialogen.store.participants import open_state
from dialogen.store.tables import ConversationReferenceRow, ParticipantRow, ProgressRow, table_of

MAIL = "mail"


@dataclass(frozen=True)
class MailContact:
    """A participant as the mail channel needs them. Identity data: never logged."""

    participant_id: str
    email: str | None
    name: str | None
    opted_out: bool
    undeliverable: bool
    consent: bool = False


_p = table_of(ParticipantRow).c
_CONTACT_COLUMNS = (_p.id, _p.email, _p.name, _p.opted_out, _p.mail_undeliverable, _p.consent)
_BY_ID = sa_select(*_CONTACT_COLUMNS).where(_p.id == bindparam("id"))
_BY_EMAIL = sa_select(*_CONTACT_COLUMNS).where(_p.email == bindparam("email"))
_OUTBOX = table_of(OutboxRow)
_o = _OUTBOX.c
_REPLIES_SINCE = (
    sa_select(func.count())
    .select_from(_OUTBOX)
    .where(
        _o.participant_id == bindparam("participant_id"),
        _o.channel == MAIL,
        _o.kind.in_(bindparam("kinds", expanding=True)),
        _o.created_at >= bindparam("since"),
    )
)


def contact(row: ParticipantRow) -> MailContact:
    """The mail channel's view of a participant row already loaded (and locked)."""
    return MailContact(
        row.id, row.email, row.name, row.opted_out, row.mail_undeliverable, row.consent
    )


def by_id(db: Session | Connection, participant_id: str) -> MailContact | None:
    """``db``: a unit of work's session, or a ``Database.read()`` connection."""
    found = connection_of(db).execute(_BY_ID, {"id": participant_id}).first()
    return MailContact(*found) if found is not None else None


def by_email(db: Session | Connection, email: str) -> MailContact | None:
    if not email:
        return None
    found = connection_of(db).execute(_BY_EMAIL, {"email": email.lower()}).first()
    return MailContact(*found) if found is not None else None


def mark_undeliverable(session: Session, participant_id: str) -> bool:
    """A hard bounce: their address no longer counts as a way to reach them. True if it changed."""
    changed = session.exec(
        update(ParticipantRow)
        .where(
            col(ParticipantRow.id) == participant_id,
            col(ParticipantRow.mail_undeliverable).is_(False),
        )
        .values(mail_undeliverable=True)
    ).rowcount
    return bool(changed)


def note_mail_received(session: Session, participant_id: str) -> None:
    """A real mail came from their address: it works, and when Teams does not reach them, mail is
    the channel that does (what facilitators see and the outbox uses)."""
    row = session.get(ParticipantRow, participant_id)  # the service locked and loaded it already
    if row is None:
        return
    if row.mail_undeliverable or not row.mail_reached:
        row.mail_undeliverable = False
        row.mail_reached = True
        session.add(row)
    if row.preferred_channel == MAIL:
        return
    has_teams = (
        session.connection()
        .execute(
            sa_select(col(ConversationReferenceRow.participant_id)).where(
                col(ConversationReferenceRow.participant_id) == participant_id,
                col(ConversationReferenceRow.channel) == "teams",
            )
        )
        .first()
        is not None
    )
    if not (has_teams and row.teams_reachable):
        row.preferred_channel = MAIL
        session.add(row)


def replies_since(
    session: Session, *, participant_id: str, kinds: Sequence[str], since: datetime
) -> int:
    """Mails of these kinds queued for this participant since ``since`` (any status)."""
    return int(
        session.connection()
        .execute(
            _REPLIES_SINCE,
            {"participant_id": participant_id, "kinds": list(kinds), "since": utc(since)},
        )
        .scalar_one()
    )


def invitees(
    session: Session, *, include_without_teams: bool, cipher: PayloadCipher
) -> list[MailContact]:
    """Invitees to invite by mail: an address that works, no consent, not opted out, never greeted;
    who prefers mail, or (``include_without_teams``) whom Teams cannot reach yet. ``cipher``
    opens the sealed progress."""
    p = ParticipantRow
    teams = select(ConversationReferenceRow.participant_id).where(
        ConversationReferenceRow.channel == "teams"
    )
    statement = (
        select(p, ProgressRow.state)
        .join(ProgressRow, col(ProgressRow.participant_id) == p.id, isouter=True)
        .where(
            col(p.invited).is_(True),
            col(p.email).is_not(None),
            col(p.consent).is_(False),
            col(p.opted_out).is_(False),
            col(p.mail_undeliverable).is_(False),
            col(p.is_test).is_(False),
        )
        .order_by(p.id)
    )
    reached = set(session.exec(teams).all())
    found: list[MailContact] = []
    for row, state in session.exec(statement).all():
        if state and _phase(open_state(state, cipher)) is not Phase.WELCOME:
            continue  # greeted before (in Teams or by an earlier invitation)
        without_teams = row.id not in reached or not row.teams_reachable
        if row.preferred_channel == MAIL or (include_without_teams and without_teams):
            found.append(contact(row))
    return found


def _phase(state: Mapping[str, Any] | None) -> Phase | None:
    try:
        return ConversationState.from_dict(state).phase
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Reach:
    """How one participant can be reached (for operators: identity data)."""

    name: str | None
    email: str | None
    consent: bool
    opted_out: bool
    preferred_channel: str
    has_teams_reference: bool
    teams_reachable: bool
    undeliverable: bool


def reach(session: Session) -> list[Reach]:
    p = ParticipantRow
    teams = set(
        session.exec(
            select(ConversationReferenceRow.participant_id).where(
                ConversationReferenceRow.channel == "teams"
            )
        ).all()
    )
    # SQLAlchemy's select() and Session.execute(): sqlmodel's select() is typed for four columns
    rows = session.execute(
        sa_select(
            col(p.id),
            col(p.name),
            col(p.email),
            col(p.consent),
            col(p.opted_out),
            col(p.preferred_channel),
            col(p.teams_reachable),
            col(p.mail_undeliverable),
        )
        .where(col(p.is_test).is_(False))
        .order_by(col(p.name), col(p.email))
    ).all()
    return [
        Reach(name, email, consent, opted_out, preferred, pid in teams, reachable, bounced)
        for pid, name, email, consent, opted_out, preferred, reachable, bounced in rows
    ]
