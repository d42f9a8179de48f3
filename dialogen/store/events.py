"""Inbound events already handled, so that a redelivered activity or mail changes nothing."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlmodel import Session

from dialogen.store.tables import ProcessedEventRow, table_of
from dialogen.store.upserts import insert_new

_EVENTS = table_of(ProcessedEventRow)


def event_key(channel: str, event_id: str) -> str:
    return hashlib.sha256(f"{channel}\x00{event_id}".encode()).hexdigest()


def claim(session: Session, *, key: str, day: date) -> bool:
    """Record the event; False when it was recorded before. Call under the participant's lock."""
    return insert_new(session, _EVENTS, {"key": key, "processed_on": day}, unique=["key"])
