"""The requests every replica sent to a rate-limited channel, so that limits hold for all of them
together on PostgreSQL (``planning/shared_pacing.py``): one row per request per scope (the app,
a conversation), kept as long as the longest window.

A reservation locks its scopes (transaction-level advisory locks, always the app's first), counts
what the windows hold, and records the request only when every window allows it and the app's
requests stay evenly spread (as the per-process pacer spreads them) — otherwise it says how long
to wait. On SQLite there is one process; its own pacer is enough.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence

from sqlalchemy import Column, Float, Index, delete, insert, select, text
from sqlmodel import Field, Session, SQLModel

from dialogen.store.tables import table_of

APP = "*app*"  # planning.pacing.APP: the per-app scope, stored as it is
LOCK_CLASS = 0x70616365  # "pace": the first key of the ledger's advisory locks

Windows = Sequence[tuple[int, float]]  # (limit, seconds)


class PacingLedgerRow(SQLModel, table=True):
    __tablename__ = "pacing_ledger"
    __table_args__ = (Index("ix_pacing_ledger_scope", "channel", "scope", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=10)
    scope: str = Field(max_length=200)  # "*app*", or a conversation's pacing key hashed
    at: float = Field(sa_column=Column(Float, nullable=False))  # seconds (wall clock)


_LEDGER = table_of(PacingLedgerRow)


def reserve(
    session: Session,
    *,
    channel: str,
    scopes: Sequence[tuple[str, Windows]],
    now: float,
    margin: float = 0.0,
) -> float:
    """Record one request in every scope when all their windows allow it now, and return 0;
    otherwise record nothing and return the seconds to wait. A conversation's key is stored
    hashed: the ledger says how busy a conversation was, not whose it is."""
    scopes = [(_stored(scope), windows) for scope, windows in scopes]
    for scope, _ in scopes:
        session.execute(
            text("SELECT pg_advisory_xact_lock(:kind, :key)"),
            {"kind": LOCK_CLASS, "key": _lock_key(channel, scope)},
        )
    wait = 0.0
    for scope, windows in scopes:
        if not windows:
            continue
        horizon = max(seconds for _, seconds in windows) + margin
        session.execute(
            delete(_LEDGER).where(
                _LEDGER.c.channel == channel, _LEDGER.c.scope == scope, _LEDGER.c.at < now - horizon
            )
        )
        newest = list(
            session.execute(
                select(_LEDGER.c.at)
                .where(_LEDGER.c.channel == channel, _LEDGER.c.scope == scope)
                .order_by(_LEDGER.c.at.desc())
                .limit(max(limit for limit, _ in windows))
            ).scalars()
        )
        for limit, seconds in windows:
            if len(newest) >= limit:  # allowed once the limit-th newest is older than the window
                wait = max(wait, newest[limit - 1] + seconds + margin - now)
        if scope == APP and newest:  # spread evenly at the shortest window's rate: no bursts
            limit, seconds = min(windows, key=lambda window: window[1])
            wait = max(wait, newest[0] + (seconds + margin) / limit - now)
    if wait > 0:
        return wait
    rows = [{"channel": channel, "scope": scope, "at": now} for scope, windows in scopes if windows]
    if rows:
        session.execute(insert(_LEDGER), rows)
    return 0.0


def _stored(scope: str) -> str:
    return scope if scope == APP else hashlib.sha256(scope.encode()).hexdigest()


def _lock_key(channel: str, scope: str) -> int:
    return zlib.crc32(f"{channel}\x00{scope}".encode()) - 2**31  # a signed 32-bit integer
