"""Data access for the answer side. Nothing here knows a participant id: only pseudonyms."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session, select

from dialogen.store.tables import AnswerRow


AnswerKey = tuple[str, str]  # (step key, question id)


def load_rows(session: Session, *, dialogue_key: str, pseudonym: str) -> dict[AnswerKey, AnswerRow]:
    """One pseudonym's answer rows by (step, question): loaded once per event, then upserted."""
    rows = session.exec(select(AnswerRow).where(AnswerRow.dialogue_key == dialogue_key,
                                                AnswerRow.pseudonym == pseudonym)).all()
    return {(row.step_key, row.question_id): row for row in rows}


def as_values(rows: dict[AnswerKey, AnswerRow]) -> dict[str, dict[str, Any]]:
    """Step key -> question id -> value."""
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for (step_key, question_id), row in rows.items():
        found[step_key][question_id] = row.value
    return dict(found)


def load(session: Session, *, dialogue_key: str, pseudonym: str) -> dict[str, dict[str, Any]]:
    """Step key -> question id -> value, for one pseudonym."""
    return as_values(load_rows(session, dialogue_key=dialogue_key, pseudonym=pseudonym))


def upsert(session: Session, *, dialogue_key: str, pseudonym: str, step_key: str, question_id: str,
           value: Any, role: str | None, province: str | None, networks: str, day: date,
           loaded: dict[AnswerKey, AnswerRow] | None = None) -> None:
    """Insert or update one answer; ``loaded`` (from :func:`load_rows` in the same unit of work)
    saves a look-up per answer."""
    if loaded is not None:
        existing = loaded.get((step_key, question_id))
    else:
        existing = session.exec(select(AnswerRow).where(
            AnswerRow.dialogue_key == dialogue_key, AnswerRow.pseudonym == pseudonym,
            AnswerRow.step_key == step_key, AnswerRow.question_id == question_id)).first()
    if existing is None:
        row = AnswerRow(id=secrets.token_hex(16), dialogue_key=dialogue_key, pseudonym=pseudonym,
                        step_key=step_key, question_id=question_id, value=value, role=role,
                        province=province, networks=networks, recorded_on=day)
        session.add(row)
        if loaded is not None:
            loaded[(step_key, question_id)] = row
    else:
        existing.value = value
        existing.recorded_on = day
        session.add(existing)
