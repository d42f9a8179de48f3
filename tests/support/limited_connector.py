"""A Bot Connector stand-in on 127.0.0.1 that enforces Teams' rate limits, like Teams does.

Per bot per conversation: 7 requests per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour; per app:
50 per second. Every request counts against every window, also the ones it rejects (as in Teams).
Over a limit it answers 429 with ``Retry-After`` (whole seconds). It can also inject failures: a
fraction of all requests (429 with ``Retry-After``, 500, 503 ...), a script of statuses for one
conversation, or a permanent 403 ``ConversationBlockedByUser`` for blocked conversations.

The limits are written out here on purpose, not imported from ``planning.pacing``: the stub is
the referee, not a copy of the player.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.http_stub import LocalHttpStub

PER_CONVERSATION = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
PER_APP = ((50, 1.0),)


@dataclass(frozen=True)
class Arrival:
    conversation: str
    text: str  # the message text, or a card's summary
    at: float  # stub clock


@dataclass
class _Windows:
    limits: tuple[tuple[int, float], ...]
    times: list[float] = field(default_factory=list)

    def count_and_check(self, now: float) -> float | None:
        """Count this request; None when within every window, else seconds until one would be."""
        self.times.append(now)
        longest = max(seconds for _, seconds in self.limits)
        while self.times and self.times[0] <= now - longest:
            self.times.pop(0)
        wait = None
        for limit, seconds in self.limits:
            inside = sum(1 for t in self.times if t > now - seconds)
            if inside > limit:
                allowed_at = self.times[-limit] + seconds
                wait = max(wait or 0.0, allowed_at - now)
        return wait


class LimitedConnector(LocalHttpStub):
    def __init__(
        self,
        *,
        per_conversation: tuple[tuple[int, float], ...] = PER_CONVERSATION,
        per_app: tuple[tuple[int, float], ...] = PER_APP,
        clock: Callable[[], float] = time.monotonic,
        inject_rate: float = 0.0,
        inject_statuses: tuple[int, ...] = (429, 500, 503),
        injected_retry_after: int = 1,
        seed: int = 7,
    ) -> None:
        self.per_conversation = per_conversation
        self.per_app = per_app
        self.clock = clock
        self.inject_rate = inject_rate
        self.inject_statuses = inject_statuses
        self.injected_retry_after = injected_retry_after
        self.blocked: set[str] = set()  # conversations answered with 403 ConversationBlockedByUser
        self.script: dict[str, list[int]] = defaultdict(
            list
        )  # next answers for a conversation (201 = accept)
        self.arrivals: list[Arrival] = []
        self.statuses: Counter[int] = Counter()  # every answer given
        self.over_limit = 0  # 429s because a limit was exceeded (not injected)
        self.retry_after_given: dict[str, list[tuple[float, int]]] = defaultdict(
            list
        )  # conversation → (at, s)
        self.requests: dict[str, list[float]] = defaultdict(
            list
        )  # conversation → every request's time
        self._app = _Windows(per_app)
        self._conversations: dict[str, _Windows] = {}
        self._random = random.Random(seed)
        self._server: TestServer | None = None
        self._arrived: asyncio.Condition | None = None

    async def start(self) -> LimitedConnector:
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        await self._serve(app)
        return self

    # ------------------------------------------------------------ what tests look at

    def texts_for(self, conversation: str) -> list[str]:
        return [a.text for a in self.arrivals if a.conversation == conversation]

    def delivered_conversations(self) -> set[str]:
        return {a.conversation for a in self.arrivals}

    def duplicates(self) -> int:
        """Deliveries beyond the first of the same text to the same conversation."""
        seen = Counter((a.conversation, a.text) for a in self.arrivals)
        return sum(n - 1 for n in seen.values())

    async def wait_for_arrivals(self, count: int, timeout: float = 30.0) -> None:
        """Wait (on a condition, not a sleep) until ``count`` messages were delivered in total."""
        assert self._arrived is not None
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.arrivals) >= count), timeout
            )

    # ------------------------------------------------------------ the referee

    async def _post(self, request: web.Request) -> web.Response:
        now = self.clock()
        conversation = request.match_info["conversation"]
        self.requests[conversation].append(now)
        windows = self._conversations.setdefault(conversation, _Windows(self.per_conversation))
        waits = [
            w
            for w in (windows.count_and_check(now), self._app.count_and_check(now))
            if w is not None
        ]
        body = await request.json()
        if waits:
            self.over_limit += 1
            return self._throttle(conversation, now, max(1, math.ceil(max(waits))))
        if conversation in self.blocked:
            return self._answer(
                403,
                {
                    "error": {
                        "code": "ConversationBlockedByUser",
                        "message": "User blocked the conversation with the bot.",
                    }
                },
            )
        if self.script.get(conversation):
            status = self.script[conversation].pop(0)
            if status == 429:
                return self._throttle(conversation, now, self.injected_retry_after)
            if status >= 300:
                return self._answer(
                    status, {"error": {"code": "Scripted", "message": "scripted failure"}}
                )
        elif self.inject_rate and self._random.random() < self.inject_rate:
            status = self._random.choice(self.inject_statuses)
            if status == 429:
                return self._throttle(conversation, now, self.injected_retry_after)
            return self._answer(
                status, {"error": {"code": "Injected", "message": "injected failure"}}
            )
        assert self._arrived is not None
        async with self._arrived:
            self.arrivals.append(Arrival(conversation, _text_of(body), now))
            self._arrived.notify_all()
        return self._answer(201, {"id": f"1:{len(self.arrivals)}"})

    def _throttle(self, conversation: str, now: float, seconds: int) -> web.Response:
        self.retry_after_given[conversation].append((now, seconds))
        return self._answer(
            429,
            {"error": {"code": "Throttled", "message": "Too many requests."}},
            headers={"Retry-After": str(seconds)},
        )

    def _answer(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> web.Response:
        self.statuses[status] += 1
        return web.json_response(body, status=status, headers=headers)


def _text_of(activity: dict[str, Any]) -> str:
    if activity.get("text"):
        return str(activity["text"])
    if activity.get("summary"):
        return str(activity["summary"])
    for attachment in activity.get("attachments") or []:
        content = attachment.get("content") or {}
        if content.get("fallbackText"):
            return str(content["fallbackText"])
    return ""
