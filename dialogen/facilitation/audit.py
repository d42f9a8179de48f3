"""The audit trail, as the rest of the bot writes to it: every facilitator or operator action —
who, what, when, how many — lands in the ``audit_log`` table."""

from __future__ import annotations

from typing import Any

from dialogen.contracts import Clock
from dialogen.store import audit
from dialogen.store.database import Database


class AuditTrail:
    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def record(
        self,
        *,
        actor: str,
        action: str,
        target: str | None = None,
        count: int = 0,
        details: dict[str, Any] | None = None,
    ) -> None:
        with self._database.unit_of_work() as session:
            audit.record(
                session,
                at=self._clock(),
                actor=actor,
                action=action,
                target=target,
                count=count,
                details=details,
            )
