"""Inbound events already handled, so that a redelivered activity or mail changes nothing — and,
for a chat turn, what it replied (sealed), so that the redelivery is answered all the same."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from dialogen.store.tables import ProcessedEventRow, table_of
from dialogen.store.upserts import insert_new

_EVENTS = table_of(ProcessedEventRow)


def event_key(channel: str, *parts: str) -> str:
    """The key of one event: its channel and the parts that identify it there (for Teams the
    conversation id and the activity id — activity ids are only unique per conversation)."""
    return hashlib.sha256("\x00".join((channel, *parts)).encode()).hexdigest()


def claim(session: Session, *, key: str, day: date) -> bool:
    """Record the event; False when it was recorded before. Call under the participant's lock."""
    return insert_new(session, _EVENTS, {"key": key, "processed_on": day}, unique=["key"])


def keep_replies(session: Session, *, key: str, sealed: dict[str, Any]) -> None:
    """What the event's first processing replied (sealed), in the unit of work that claimed it."""
    session.execute(update(_EVENTS).where(_EVENTS.c.key == key).values(replies=sealed))


def replies_of(session: Session, key: str) -> dict[str, Any] | None:
    """The sealed replies kept with an event (None: none kept, or not processed)."""
    found = session.execute(select(_EVENTS.c.replies).where(_EVENTS.c.key == key)).scalar()
    return found if isinstance(found, dict) else None
