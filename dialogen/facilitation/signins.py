"""Facilitators signed in to the dashboard, and sign-ins under way.

A sign-in gets a random token (the cookie) of which only a hash is stored, a CSRF token for its
forms, and an expiry: ``idle`` after the last request, at most ``longest`` after signing in. A
sign-in under way (Entra ID's authorization code flow) is held sealed under a hash of its
``state`` for ``login_minutes`` and can be taken once. Stored in the database, so every replica
knows every sign-in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dialogen.contracts import Clock
from dialogen.privacy.payload_cipher import PayloadCipher, SealError
from dialogen.store import dashboard as store
from dialogen.store.database import Database

TOUCH_EVERY = timedelta(minutes=1)  # a request this soon after the last one writes nothing


@dataclass(frozen=True)
class SignIn:
    actor: str  # as the audit log records the facilitator (object id or e-mail)
    name: str
    csrf: str
    expires_at: datetime


@dataclass(frozen=True)
class Found:
    sign_in: SignIn | None
    expired: bool = False  # there was one, and it ran out


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SignIns:
    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        cipher: PayloadCipher,
        idle: timedelta = timedelta(minutes=30),
        longest: timedelta = timedelta(hours=8),
        login_minutes: int = 10,
    ) -> None:
        self.database = database
        self.clock = clock
        self._cipher = cipher
        self.idle = idle
        self.longest = longest
        self.login_time = timedelta(minutes=login_minutes)

    def open(self, *, actor: str, name: str) -> tuple[str, SignIn]:
        """A new sign-in: the token for the cookie, and what it holds."""
        now = self.clock()
        token = secrets.token_urlsafe(32)
        row = store.DashboardSessionRow(
            id=_key(token),
            kind="session",
            actor=actor,
            name=name[:200],
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            seen_at=now,
            expires_at=now + min(self.idle, self.longest),
        )
        with self.database.unit_of_work() as session:
            store.drop_expired(session, now=now)
            store.add_session(session, row)
        return token, SignIn(row.actor, row.name, row.csrf, row.expires_at)

    def find(self, token: str | None) -> Found:
        if not token:
            return Found(None)
        now = self.clock()
        with self.database.unit_of_work() as session:
            row = store.find_session(session, _key(token), kind="session")
            if row is None:
                return Found(None)
            if now >= _aware(row.expires_at):
                store.drop_session(session, row.id)
                return Found(None, expired=True)
            if now - _aware(row.seen_at) >= TOUCH_EVERY:
                row.seen_at = now
                row.expires_at = min(now + self.idle, _aware(row.created_at) + self.longest)
                session.add(row)
            return Found(SignIn(row.actor, row.name, row.csrf, _aware(row.expires_at)))

    def close(self, token: str | None) -> None:
        if token:
            with self.database.unit_of_work() as session:
                store.drop_session(session, _key(token))

    # ------------------------------------------------------------ sign-ins under way

    def hold_login(self, state: str, flow: dict[str, Any]) -> None:
        now = self.clock()
        sealed = self._cipher.seal(json.dumps(flow).encode()).hex()
        with self.database.unit_of_work() as session:
            store.drop_expired(session, now=now)
            store.add_session(
                session,
                store.DashboardSessionRow(
                    id=_key(f"login:{state}"),
                    kind="login",
                    flow=sealed,
                    created_at=now,
                    seen_at=now,
                    expires_at=now + self.login_time,
                ),
            )

    def take_login(self, state: str | None) -> dict[str, Any] | None:
        """The flow held for ``state``, once; None when unknown, used or too old."""
        if not state:
            return None
        now = self.clock()
        with self.database.unit_of_work() as session:
            row = store.find_session(session, _key(f"login:{state}"), kind="login")
            if row is None:
                return None
            store.drop_session(session, row.id)
            if now >= _aware(row.expires_at) or not row.flow:
                return None
            try:
                flow = json.loads(self._cipher.open(bytes.fromhex(row.flow)))
            except (SealError, ValueError):
                return None
        return flow if isinstance(flow, dict) else None
