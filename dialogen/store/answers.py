"""Data access for the answer side. Nothing here knows a participant id: only pseudonyms."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session, select

from dialogen.store.tables import AnswerRow


def load(session: Session, *, dialogue_key: str, pseudonym: str) -> dict[str, dict[str, Any]]:
    """Step key -> question id -> value, for one pseudonym."""
    rows = session.exec(select(AnswerRow).where(AnswerRow.dialogue_key == dialogue_key,
                                                AnswerRow.pseudonym == pseudonym)).all()
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        found[row.step_key][row.question_id] = row.value
    return dict(found)


def upsert(session: Session, *, dialogue_key: str, pseudonym: str, step_key: str, question_id: str,
           value: Any, role: str | None, province: str | None, networks: str, day: date) -> None:
    existing = session.exec(select(AnswerRow).where(
        AnswerRow.dialogue_key == dialogue_key, AnswerRow.pseudonym == pseudonym,
        AnswerRow.step_key == step_key, AnswerRow.question_id == question_id)).first()
    if existing is None:
        session.add(AnswerRow(id=secrets.token_hex(16), dialogue_key=dialogue_key, pseudonym=pseudonym,
                              step_key=step_key, question_id=question_id, value=value, role=role,
                              province=province, networks=networks, recorded_on=day))
    else:
        existing.value = value
        existing.recorded_on = day
        session.add(existing)
