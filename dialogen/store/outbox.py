"""The persistent outbox: every proactive message (Teams or mail) is a row before it is sent.

``key`` is the idempotency key, e.g. ``nudge:<participant>:<step>:<offset>``: queueing the same
message twice is a no-op. The sender (``planning.sender``) claims due rows with a lease, sends
them within the channel's limits and records the result here.

A participant's messages on one channel go out one at a time, in queue order
(``not_before``, ``created_at``, ``seq``): a row is only claimed when no earlier row of the same
participant and channel is still pending or being sent. A failed attempt sets ``retry_at`` and
leaves ``not_before`` alone, so a retried message keeps its place in that order.

All times are stored in UTC (SQLite keeps no offset, so they are normalised on the way in).

**Payloads are sealed at rest.** A payload can quote what a participant answered (a mail
confirmation lists it), and the row names the participant: stored in the clear, that would link
answers to people for anyone holding the database. So :func:`enqueue` seals the payload with the
caller's :class:`~dialogen.privacy.payload_cipher.PayloadCipher` (derived from the pseudonym
secret) and :func:`claim_due` opens it for the sender; nothing else reads it. Once a message is
finished (sent, failed, cancelled) its payload is wiped (``{}``), and :func:`purge_finished`
deletes finished rows after the retention the sender is configured with.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    delete,
    func,
    or_,
    tuple_,
    update,
)
from sqlalchemy import exists as sql_exists
from sqlalchemy.orm import aliased
from sqlmodel import Field, Session, SQLModel, col, select

from dialogen.contracts import OutboxMessage
from dialogen.privacy.payload_cipher import PayloadCipher, SealError
from dialogen.store.database import connection_of
from dialogen.store.tables import ParticipantRow, table_of
from dialogen.store.upserts import insert_new

ERROR_LENGTH = 300


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for not_before / retry_at / its turn
    SENDING = "sending"  # claimed by a sender; back to pending if its lease expires
    SENT = "sent"
    FAILED = "failed"  # permanent failure, reason recorded
    CANCELLED = "cancelled"  # no longer needed (opted out, completed, or past not_after)


FINISHED = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.CANCELLED)
WIPED: dict[str, Any] = {}
"""The payload of a finished message: nothing of what it said is kept."""


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_queue", "status", "channel", "not_before", "created_at", "seq", "id"),
        Index(
            "ix_outbox_participant_queue",
            "participant_id",
            "channel",
            "status",
            "not_before",
            "created_at",
            "seq",
            "id",
        ),
    )

    id: str = Field(primary_key=True, max_length=32)
    key: str = Field(max_length=200, unique=True)
    participant_id: str = Field(
        foreign_key="participant.id", max_length=32
    )  # ix_outbox_participant_queue
    channel: str = Field(max_length=10)  # "teams" or "mail"
    kind: str = Field(
        max_length=30
    )  # "step_prompt", "nudge", "step_closed", "invitation", "confirmation"
    step_key: str | None = Field(default=None, max_length=20)
    # sealed ({"sealed": ...}) until the message is finished, then wiped ({})
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=OutboxStatus.PENDING, max_length=10)
    not_before: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    not_after: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    attempts: int = 0
    lease_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    last_error: str | None = Field(default=None, max_length=ERROR_LENGTH)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    sent_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    retry_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    parts_sent: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    seq: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0", index=True)
    )


_OUTBOX = table_of(OutboxRow)
#: Queue order among rows queued at the same moment, worked out in the insert itself.
_NEXT_SEQ = (("seq", select(func.coalesce(func.max(_OUTBOX.c.seq), 0) + 1).scalar_subquery()),)


def enqueue(
    session: Session,
    *,
    key: str,
    participant_id: str,
    channel: str,
    kind: str,
    payload: dict[str, Any],
    cipher: PayloadCipher,
    now: datetime,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    step_key: str | None = None,
) -> bool:
    """Queue a message, its payload sealed with ``cipher``; False (and nothing changes) when a
    message with this key exists."""
    return insert_new(
        session,
        _OUTBOX,
        {
            "id": secrets.token_hex(16),
            "key": key,
            "participant_id": participant_id,
            "channel": channel,
            "kind": kind,
            "step_key": step_key,
            "payload": cipher.seal_json(payload),
            "status": OutboxStatus.PENDING,
            "not_before": utc(not_before or now),
            "not_after": utc(not_after) if not_after else None,
            "attempts": 0,
            "created_at": utc(now),
            "parts_sent": 0,
        },
        unique=["key"],
        computed=_NEXT_SEQ,
    )


def exists(session: Session, *, key: str) -> bool:
    return session.exec(select(OutboxRow.id).where(OutboxRow.key == key)).first() is not None


# ---------------------------------------------------------------- the sender's side


def claim_due(
    session: Session,
    *,
    channels: Sequence[str],
    now: datetime,
    limit: int,
    lease_until: datetime,
    cipher: PayloadCipher,
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows (oldest first, at most one per participant and channel) for
    the caller until ``lease_until``, their payloads opened with ``cipher``. Concurrent claimers
    skip each other's rows (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite serialises the whole
    transaction with ``BEGIN IMMEDIATE``)."""
    if limit <= 0 or not channels:
        return []
    now = utc(now)
    earlier = aliased(OutboxRow)
    waiting_behind = sql_exists().where(
        col(earlier.participant_id) == OutboxRow.participant_id,
        col(earlier.channel) == OutboxRow.channel,
        col(earlier.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        # expired ones block nothing
        or_(col(earlier.not_after).is_(None), col(earlier.not_after) >= now),
        tuple_(earlier.not_before, earlier.created_at, earlier.seq, earlier.id)
        < tuple_(OutboxRow.not_before, OutboxRow.created_at, OutboxRow.seq, OutboxRow.id),
    )
    statement = (
        select(OutboxRow)
        .where(
            OutboxRow.status == OutboxStatus.PENDING,
            col(OutboxRow.channel).in_(list(channels)),
            OutboxRow.not_before <= now,
            or_(col(OutboxRow.retry_at).is_(None), col(OutboxRow.retry_at) <= now),
            or_(col(OutboxRow.not_after).is_(None), col(OutboxRow.not_after) >= now),
            ~waiting_behind,
        )
        .order_by(
            col(OutboxRow.not_before),
            col(OutboxRow.created_at),
            col(OutboxRow.seq),
            col(OutboxRow.id),
        )
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxRow)
    )
    claimed: list[OutboxMessage] = []
    for row in session.exec(statement).all():
        try:
            payload = cipher.open_json(row.payload)
        except SealError:  # sealed under another secret: it can never be sent
            row.status = OutboxStatus.FAILED
            row.last_error = "payload cannot be opened (was the pseudonym secret replaced?)"
            row.payload = WIPED
            session.add(row)
            continue
        row.status = OutboxStatus.SENDING
        row.lease_until = utc(lease_until)
        row.attempts += 1
        session.add(row)
        claimed.append(
            OutboxMessage(
                id=row.id,
                key=row.key,
                participant_id=row.participant_id,
                channel=row.channel,
                kind=row.kind,
                step_key=row.step_key,
                payload=payload,
                attempts=row.attempts,
                parts_sent=row.parts_sent,
            )
        )
    return claimed


def mark_sent(session: Session, *, message_id: str, now: datetime, parts_sent: int) -> None:
    """Sent; a mail marks its participant reached by mail (``participant.mail_reached``)."""
    mail_to = select(OutboxRow.participant_id).where(
        col(OutboxRow.id) == message_id, col(OutboxRow.channel) == "mail"
    )
    session.exec(
        update(ParticipantRow)
        .where(col(ParticipantRow.id).in_(mail_to), col(ParticipantRow.mail_reached).is_(False))
        .values(mail_reached=True)
    )
    session.exec(
        update(OutboxRow)
        .where(col(OutboxRow.id) == message_id)
        .values(
            status=OutboxStatus.SENT,
            sent_at=utc(now),
            lease_until=None,
            retry_at=None,
            parts_sent=parts_sent,
            payload=WIPED,
        )
    )


def mark_retry(
    session: Session,
    *,
    message_id: str,
    retry_at: datetime,
    parts_sent: int,
    error: str,
    counted: bool = True,
) -> None:
    """Back to the queue, held until ``retry_at``; it keeps its place before later messages.
    ``counted=False``: the attempt does not count towards the cap (the fault was ours)."""
    session.exec(
        update(OutboxRow)
        .where(col(OutboxRow.id) == message_id)
        .values(
            status=OutboxStatus.PENDING,
            retry_at=utc(retry_at),
            lease_until=None,
            parts_sent=parts_sent,
            last_error=error[:ERROR_LENGTH],
            attempts=OutboxRow.attempts - (0 if counted else 1),
        )
    )


def mark_failed(session: Session, *, message_id: str, parts_sent: int, reason: str) -> None:
    session.exec(
        update(OutboxRow)
        .where(col(OutboxRow.id) == message_id)
        .values(
            status=OutboxStatus.FAILED,
            lease_until=None,
            retry_at=None,
            parts_sent=parts_sent,
            last_error=reason[:ERROR_LENGTH],
            payload=WIPED,
        )
    )


def mark_unreachable(
    session: Session, *, message_id: str, participant_id: str, reason: str, refused_by_teams: bool
) -> None:
    """The channel cannot reach this participant: fail the message. When Teams itself refused
    (403), remember it, so their next Teams messages are not even attempted."""
    mark_failed(session, message_id=message_id, parts_sent=0, reason=reason)
    if refused_by_teams:
        session.exec(
            update(ParticipantRow)
            .where(col(ParticipantRow.id) == participant_id)
            .values(teams_reachable=False)
        )


def renew_leases(session: Session, *, message_ids: Sequence[str], lease_until: datetime) -> None:
    if message_ids:
        session.exec(
            update(OutboxRow)
            .where(
                col(OutboxRow.id).in_(list(message_ids)),
                col(OutboxRow.status) == OutboxStatus.SENDING,
            )
            .values(lease_until=utc(lease_until))
        )


def release(session: Session, *, message_ids: Sequence[str]) -> None:
    """Give claimed rows that were never attempted back to the queue (a clean stop)."""
    if message_ids:
        session.exec(
            update(OutboxRow)
            .where(
                col(OutboxRow.id).in_(list(message_ids)),
                col(OutboxRow.status) == OutboxStatus.SENDING,
            )
            .values(status=OutboxStatus.PENDING, lease_until=None, attempts=OutboxRow.attempts - 1)
        )


def recover_expired_leases(session: Session, *, now: datetime, keep: Sequence[str] = ()) -> int:
    """Rows whose sender vanished (crash, ``kill -9``) go back to the queue; ``keep`` are the
    caller's own rows in flight. Such a row may have reached the recipient before the crash:
    this is the documented duplicate window."""
    statement = (
        update(OutboxRow)
        .where(
            col(OutboxRow.status) == OutboxStatus.SENDING,
            col(OutboxRow.lease_until) < utc(now),
        )
        .values(status=OutboxStatus.PENDING, lease_until=None)
    )
    if keep:
        statement = statement.where(col(OutboxRow.id).not_in(list(keep)))
    return session.exec(statement).rowcount or 0


def expire_overdue(session: Session, *, now: datetime) -> int:
    """Pending rows past ``not_after`` are no longer useful: cancelled, never sent."""
    return (
        session.exec(
            update(OutboxRow)
            .where(
                col(OutboxRow.status) == OutboxStatus.PENDING,
                col(OutboxRow.not_after).is_not(None),
                col(OutboxRow.not_after) < utc(now),
            )
            .values(
                status=OutboxStatus.CANCELLED,
                retry_at=None,
                last_error="expired: not sent before its not_after",
                payload=WIPED,
            )
        ).rowcount
        or 0
    )


def next_wake(session: Session, *, channels: Sequence[str], now: datetime) -> datetime | None:
    """When due work that cannot be claimed right now may become claimable: the earliest retry
    time of a due row or lease end of a row being sent. None when nothing due is left."""
    now = utc(now)
    due = (
        col(OutboxRow.channel).in_(list(channels)),
        col(OutboxRow.not_before) <= now,
        or_(col(OutboxRow.not_after).is_(None), col(OutboxRow.not_after) >= now),
    )
    pending = session.exec(
        select(func.min(func.coalesce(OutboxRow.retry_at, OutboxRow.not_before))).where(
            OutboxRow.status == OutboxStatus.PENDING, *due
        )
    ).one()
    leased = session.exec(
        select(func.min(OutboxRow.lease_until)).where(
            OutboxRow.status == OutboxStatus.SENDING, *due
        )
    ).one()
    moments = [aware(m) for m in (pending, leased) if m is not None]
    return max(now, min(moments)) if moments else None


def counts(db: Session | Connection) -> dict[tuple[str, str], int]:
    """Rows per (channel, status), for operators."""
    o = _OUTBOX.c
    rows = (
        connection_of(db)
        .execute(select(o.channel, o.status, func.count()).group_by(o.channel, o.status))
        .all()
    )
    return {(channel, status): number for channel, status, number in rows}


def requeue_on_channel(
    session: Session,
    *,
    message: OutboxMessage,
    channel: str,
    now: datetime,
    cipher: PayloadCipher,
) -> bool:
    """Queue the same content for another channel once (e.g. the mail version after a Teams 403)."""
    return enqueue(
        session,
        key=f"{message.key}#{channel}"[:200],
        participant_id=message.participant_id,
        channel=channel,
        kind=message.kind,
        step_key=message.step_key,
        payload=message.payload,
        cipher=cipher,
        now=now,
    )


def purge_finished(session: Session, *, before: datetime) -> int:
    """Delete finished messages (sent, failed, cancelled) created before ``before``: after the
    retention nothing is left of them, not even that they were sent to whom. (Their idempotency
    keys go too: a broadcast repeated after that could queue them again.)"""
    return (
        session.exec(
            delete(OutboxRow).where(
                col(OutboxRow.status).in_(FINISHED), col(OutboxRow.created_at) < utc(before)
            )
        ).rowcount
        or 0
    )


def forget_participant(session: Session, *, participant_id: str) -> int:
    """Every message to this participant, whatever its state (their identity is being erased)."""
    return (
        session.exec(
            delete(OutboxRow).where(col(OutboxRow.participant_id) == participant_id)
        ).rowcount
        or 0
    )


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("outbox times must be timezone-aware")
    return moment.astimezone(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands stored (UTC) times back without an offset."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
