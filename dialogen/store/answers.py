"""Data access for the answer side. Nothing here knows a participant id: only pseudonyms."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select, text
from sqlmodel import Session

from dialogen.store.database import connection_of
from dialogen.store.tables import AnswerRow, table_of
from dialogen.store.upserts import insert_or_update

AnswerKey = tuple[str, str]  # (step key, question id)

_ANSWERS = table_of(AnswerRow)
_a = _ANSWERS.c
_ONE_PSEUDONYM = select(_a.step_key, _a.question_id, _a.value).where(
    _a.dialogue_key == bindparam("dialogue_key"), _a.pseudonym == bindparam("pseudonym")
)


def load_values(
    db: Session | Connection, *, dialogue_key: str, pseudonym: str
) -> dict[AnswerKey, Any]:
    """One pseudonym's answers by (step, question)."""
    rows = connection_of(db).execute(
        _ONE_PSEUDONYM, {"dialogue_key": dialogue_key, "pseudonym": pseudonym}
    )
    return {(step_key, question_id): value for step_key, question_id, value in rows}


def as_values(loaded: Mapping[AnswerKey, Any]) -> dict[str, dict[str, Any]]:
    """Step key -> question id -> value."""
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for (step_key, question_id), value in loaded.items():
        found[step_key][question_id] = value
    return dict(found)


def load(session: Session, *, dialogue_key: str, pseudonym: str) -> dict[str, dict[str, Any]]:
    """Step key -> question id -> value, for one pseudonym."""
    return as_values(load_values(session, dialogue_key=dialogue_key, pseudonym=pseudonym))


def save(
    session: Session,
    *,
    dialogue_key: str,
    pseudonym: str,
    answers: Sequence[tuple[str, str, Any]],
    role: str | None,
    province: str | None,
    networks: str,
    day: date,
) -> None:
    """Insert or update (step key, question id, value) answers in one statement. An updated answer
    keeps its row (random id, segment) and takes the new value and day; of two answers to one
    question the last counts (one statement may not touch a row twice)."""
    latest = {(step_key, question_id): value for step_key, question_id, value in answers}
    insert_or_update(
        session,
        _ANSWERS,
        [
            {
                "id": secrets.token_hex(16),
                "dialogue_key": dialogue_key,
                "pseudonym": pseudonym,
                "step_key": step_key,
                "question_id": question_id,
                "value": value,
                "role": role,
                "province": province,
                "networks": networks,
                "recorded_on": day,
            }
            for (step_key, question_id), value in latest.items()
        ],
        unique=["dialogue_key", "pseudonym", "step_key", "question_id"],
        update=["value", "recorded_on"],
    )


def values_of_step(
    db: Session | Connection, *, dialogue_key: str, step_key: str
) -> list[tuple[str, Any]]:
    """(question id, value) of every answer to ``step_key``, whoever gave it (for figures)."""
    rows = connection_of(db).execute(
        select(_a.question_id, _a.value).where(
            _a.dialogue_key == dialogue_key, _a.step_key == step_key
        )
    )
    return [(question_id, value) for question_id, value in rows]


#: Tables whose rows carry a pseudonym: their storage order must not be the order of writing.
PSEUDONYMOUS_TABLES = (
    "answer",
    "contribution",
    "reaction",
    "contribution_report",
    "reaction_cursor",
)


def reorder(session: Session) -> None:
    """PostgreSQL: rewrite each table that carries pseudonyms in the order of its primary key —
    random ids or pseudonyms — so the physical order of the rows (``ctid``) no longer shows the
    order they were written in. Takes each table's exclusive lock for the rewrite. SQLite needs
    nothing: these tables have no rowid and are stored in primary-key order."""
    if session.connection().dialect.name == "postgresql":
        for table in PSEUDONYMOUS_TABLES:
            session.connection().execute(text(f"CLUSTER {table} USING {table}_pkey"))


def rows_of_question(
    db: Session | Connection, *, dialogue_key: str, step_key: str, question_id: str
) -> list[tuple[str, str | None, str | None, str, Any]]:
    """(pseudonym, role, province, networks, value) of every answer to one question, for analysis
    over anonymous respondents (the released segment, never a participant id)."""
    rows = connection_of(db).execute(
        select(_a.pseudonym, _a.role, _a.province, _a.networks, _a.value).where(
            _a.dialogue_key == dialogue_key,
            _a.step_key == step_key,
            _a.question_id == question_id,
        )
    )
    return [
        (p, role, province, networks or "", value) for p, role, province, networks, value in rows
    ]
