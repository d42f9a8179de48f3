"""Pacing shared by every replica on PostgreSQL.

Each process keeps its own :class:`~planning.pacing.Pacer` (the even spacing of its requests,
holds after a 429) and, before a request leaves, reserves it in the database's pacing ledger
(:mod:`dialogen.store.pacing_ledger`), which holds the limits for all replicas together: two
replicas each allowed "50 per second per app" no longer send 100. The ledger's clock is the wall
clock (replicas run on synchronised hosts), injected for tests.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Mapping, Sequence

from dialogen.store import pacing_ledger
from dialogen.store.database import Database
from planning.pacing import APP, ChannelLimits, Pacing, Seconds, Sleep


class SharedPacing(Pacing):
    def __init__(
        self,
        limits: Mapping[str, ChannelLimits],
        *,
        database: Database,
        now: Seconds,
        sleep: Sleep,
        margin: float = 0.0,
        wall: Seconds = time.time,
    ) -> None:
        super().__init__(limits, now=now, sleep=sleep, margin=margin)
        self._limits = dict(limits)
        self._database = database
        self._wall = wall
        self._margin = margin

    async def acquire(self, channel: str, conversation: str) -> None:
        limits = self._limits.get(channel, ChannelLimits())
        scopes = [
            (APP, tuple((w.limit, w.seconds) for w in limits.per_app)),
            (conversation, tuple((w.limit, w.seconds) for w in limits.per_conversation)),
        ]
        while True:
            await super().acquire(channel, conversation)  # this process' spacing and holds
            wait = await asyncio.to_thread(self._reserve, channel, scopes)
            if wait <= 0:
                return
            await self._sleep(math.ceil(wait * 1000) / 1000)

    def _reserve(self, channel: str, scopes: Sequence[tuple[str, pacing_ledger.Windows]]) -> float:
        with self._database.unit_of_work() as session:
            return pacing_ledger.reserve(
                session, channel=channel, scopes=scopes, now=self._wall(), margin=self._margin
            )
