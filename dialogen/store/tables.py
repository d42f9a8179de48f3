"""The database tables. Identity lives in ``participant`` (and the tables keyed by it); answers live
in ``answer`` with only a keyed pseudonym and coarse segment attributes — see the README's
anonymity model. Persisted shapes that are JSON carry their own version (see ``ConversationState``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Table, UniqueConstraint, inspect
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel


class ParticipantRow(SQLModel, table=True):
    __tablename__ = "participant"
    __table_args__ = (
        # The dashboard counts invitees per segment from this index alone (migration 0018).
        Index(
            "ix_participant_invited_segment",
            "invited",
            "role",
            "municipality_code",
            "province",
            "networks",
        ),
    )

    id: str = Field(primary_key=True, max_length=32)
    # Sizes follow the platforms' documented limits (bot/teams/activity_fields.py; migration 0011):
    # an Entra display name has up to 256 characters; Teams user ids have no documented bound.
    name: str | None = Field(default=None, max_length=256)
    email: str | None = Field(default=None, max_length=320, unique=True)
    aad_object_id: str | None = Field(default=None, max_length=64, unique=True)
    teams_user_id: str | None = Field(default=None, max_length=512, unique=True)
    tenant_id: str | None = Field(default=None, max_length=64)
    role: str | None = Field(default=None, max_length=60)
    municipality_code: str | None = Field(default=None, max_length=10)
    # As given by the stakeholder import; None = derive from the municipality
    # (dialogen.stakeholders.segments).
    province: str | None = Field(default=None, max_length=40)  # only kept without a municipality
    networks: str | None = Field(default=None, max_length=60)  # "G40,M50"; "" = explicitly none
    consent: bool = False
    opted_out: bool = False
    invited: bool = False
    preferred_channel: str = Field(default="teams", max_length=10)
    teams_reachable: bool = True
    mail_undeliverable: bool = (
        False  # a hard bounce: the address does not reach them (migration 0006)
    )
    # a mail to them went out, or one came from them (migration 0019); reached by mail = this and
    # no hard bounce since
    mail_reached: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    # What the participant set themselves ("role,municipality,name,channel"): a re-import keeps
    # those (migration 0008).
    corrected_fields: str = Field(
        default="", max_length=100, sa_column_kwargs={"server_default": ""}
    )
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # Talks to the bot with `dialoog chat`: in no figure, segment decision or recipient list;
    # answers kept apart (migration 0012).
    is_test: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})


class ProgressRow(SQLModel, table=True):
    """Where a participant is in the conversation (``ConversationState.to_dict``)."""

    __tablename__ = "progress"

    participant_id: str = Field(primary_key=True, foreign_key="participant.id", max_length=32)
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ConversationReferenceRow(SQLModel, table=True):
    """What a channel needs to reach a participant later without them writing first."""

    __tablename__ = "conversation_reference"

    participant_id: str = Field(primary_key=True, foreign_key="participant.id", max_length=32)
    channel: str = Field(primary_key=True, max_length=10)
    reference: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AnswerRow(SQLModel, table=True):
    """One answer. No participant id, no precise time: a random id, a pseudonym, a day."""

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("dialogue_key", "pseudonym", "step_key", "question_id"),
        # Who started a step, per group, from this index alone (migration 0018).
        Index(
            "ix_answer_step_segment",
            "dialogue_key",
            "step_key",
            "pseudonym",
            "role",
            "province",
            "networks",
        ),
        {"sqlite_with_rowid": False},  # no hidden insertion-order rowid on SQLite
    )

    id: str = Field(primary_key=True, max_length=32)
    dialogue_key: str = Field(max_length=60)  # look-ups use the unique index above (migration 0007)
    pseudonym: str = Field(max_length=64)
    step_key: str = Field(max_length=20)
    question_id: str = Field(max_length=60)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    role: str | None = Field(default=None, max_length=60)
    province: str | None = Field(default=None, max_length=40)
    networks: str = Field(default="", max_length=60)
    recorded_on: date


class ProcessedEventRow(SQLModel, table=True):
    """Inbound events already handled (hashed activity id or Message-ID): redelivery is a no-op."""

    __tablename__ = "processed_event"
    __table_args__ = ({"sqlite_with_rowid": False},)

    key: str = Field(primary_key=True, max_length=64)
    processed_on: date
    # What the first processing answered, sealed (dialogen/door/replay.py): a redelivered chat
    # activity gets the same replies again (migration 0011).
    replies: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a table model, for statements that skip the ORM. (SQLModel does not
    declare ``__table__`` to type checkers; this is the same object.)"""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table
