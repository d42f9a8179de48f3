"""Pacing: keep every channel under its rate limits before the channel has to say so.

Limits are sliding windows ("at most 7 requests in any 1 second"). Teams counts rejected requests
too, so every attempt is recorded, whatever its answer. Two scopes per channel:

- per conversation (Teams: 7/1 s, 8/2 s, 60/30 s, 1,800/hour per bot per conversation);
- per app (Teams: about 50 requests per second per app per tenant; mail: 30 per minute and
  10,000 recipients per day per mailbox).

Requests to the app are also spread evenly at the rate of its shortest window (Teams: one every
20 ms), so they never leave in bursts that the network could bunch up further. Every window is
widened by a small ``margin`` so requests that leave at the limit still arrive within it.

Time comes from an injected clock (seconds as a float) and waiting from an injected sleep, so
tests run in fake time. A 429 holds its conversation for the ``Retry-After``; when most requests
of the last second got one, the whole app waits.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

Sleep = Callable[[float], Awaitable[None]]
Seconds = Callable[[], float]

APP = "*app*"  # the key of the per-app scope
CATCH_UP_SLOTS = 5  # how many slots a late schedule may catch up before it starts anew


@dataclass(frozen=True)
class Window:
    """At most ``limit`` requests in any ``seconds`` long stretch."""

    limit: int
    seconds: float

    def __post_init__(self) -> None:
        if self.limit < 1 or self.seconds <= 0:
            raise ValueError(
                f"a rate window needs a positive limit and length, not {self.limit}/{self.seconds}"
            )


@dataclass(frozen=True)
class ChannelLimits:
    per_conversation: tuple[Window, ...] = ()
    per_app: tuple[Window, ...] = ()


def parse_windows(text: str) -> tuple[Window, ...]:
    """``"7/1,8/2,60/30,1800/3600"`` → windows (count/seconds); an empty text means no limit."""
    windows: list[Window] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        count, _, seconds = part.partition("/")
        try:
            windows.append(Window(int(count), float(seconds)))
        except ValueError:
            raise ValueError(
                f"rate limit {part!r} is not of the form count/seconds, e.g. 7/1"
            ) from None
    return tuple(windows)


TEAMS_LIMITS = ChannelLimits(
    per_conversation=parse_windows("7/1,8/2,60/30,1800/3600"), per_app=parse_windows("50/1")
)
MAIL_LIMITS = ChannelLimits(per_app=parse_windows("30/60,10000/86400"))


@dataclass
class _Log:
    """Request times of one key, oldest first, trimmed to the longest window."""

    times: list[float] = field(default_factory=list)
    held_until: float = 0.0


class Pacer:
    """The limits of one channel: how long until the next request to a conversation may leave."""

    def __init__(
        self, limits: ChannelLimits, *, margin: float = 0.0, app_throttle_count: int = 5
    ) -> None:
        self.limits = limits
        self.margin = margin
        self.app_throttle_count = app_throttle_count
        self._logs: dict[str, _Log] = {}
        self._throttles: list[float] = []
        self._horizon = max(
            (w.seconds for w in (*limits.per_conversation, *limits.per_app)), default=0.0
        )
        shortest = min(limits.per_app, key=lambda w: w.seconds, default=None)
        self._spacing = (shortest.seconds + margin) / shortest.limit if shortest else 0.0
        self._next_slot = -math.inf  # when the next app request is due on the even schedule
        self._records = 0

    def wait(self, conversation: str, now: float) -> float:
        """Seconds until a request to ``conversation`` stays within every window (0 = now)."""
        spaced = self._next_slot - now
        return max(
            spaced,
            self._wait(APP, self.limits.per_app, now),
            self._wait(conversation, self.limits.per_conversation, now),
        )

    def record(self, conversation: str, now: float) -> None:
        """A request left now (whatever its answer will be: rejected requests count too)."""
        # Slots follow an even schedule. A request that left late (a slow wake-up) does not push
        # the schedule back, so the next ones catch up; after a pause the schedule starts anew.
        if now > self._next_slot + CATCH_UP_SLOTS * self._spacing:
            self._next_slot = now
        self._next_slot += self._spacing
        for key, windows in (
            (APP, self.limits.per_app),
            (conversation, self.limits.per_conversation),
        ):
            if windows:
                log = self._logs.setdefault(key, _Log())
                log.times.append(now)
                self._trim(log, now)
        self._records += 1
        if self._records % 1000 == 0:
            self._forget_idle(now)

    def hold(self, conversation: str, now: float, until: float) -> None:
        """The channel asked to wait (429 ``Retry-After``): nothing to this conversation before
        ``until``. When most requests of the last second got a 429, the app as a whole is over
        its limit (e.g. more senders than configured): then everything waits."""
        log = self._logs.setdefault(conversation, _Log())
        log.held_until = max(log.held_until, until)
        self._throttles = [t for t in self._throttles if t > now - 1.0] + [now]
        app = self._logs.get(APP)
        recent = sum(1 for t in app.times if t > now - 1.0) if app else 0
        if len(self._throttles) >= max(self.app_throttle_count, recent / 2):
            self.hold_app(until)
            self._throttles.clear()

    def hold_app(self, until: float) -> None:
        log = self._logs.setdefault(APP, _Log())
        log.held_until = max(log.held_until, until)

    def _wait(self, key: str, windows: tuple[Window, ...], now: float) -> float:
        log = self._logs.get(key)
        if log is None:
            return 0.0
        wait = log.held_until - now
        times = log.times
        for window in windows:
            if len(times) < window.limit:
                continue
            # the window allows a request once the limit-th newest request is older than it
            wait = max(wait, times[-window.limit] + window.seconds + self.margin - now)
        return max(wait, 0.0)

    def _trim(self, log: _Log, now: float) -> None:
        cut = bisect.bisect_left(log.times, now - self._horizon - self.margin)
        if cut:
            del log.times[:cut]

    def _forget_idle(self, now: float) -> None:
        for key in [
            k
            for k, log in self._logs.items()
            if log.held_until <= now
            and (not log.times or log.times[-1] < now - self._horizon - self.margin)
        ]:
            del self._logs[key]

    def tracked(self) -> int:
        """How many conversations are remembered (memory stays bounded by the longest window)."""
        return len(self._logs)


class Pacing:
    """The pacers of all channels, with the injected clock and sleep."""

    def __init__(
        self,
        limits: Mapping[str, ChannelLimits],
        *,
        now: Seconds,
        sleep: Sleep,
        margin: float = 0.0,
    ) -> None:
        self._pacers = {
            channel: Pacer(channel_limits, margin=margin)
            for channel, channel_limits in limits.items()
        }
        self._now = now
        self._sleep = sleep

    def pacer(self, channel: str) -> Pacer:
        return self._pacers.setdefault(channel, Pacer(ChannelLimits()))

    async def acquire(self, channel: str, conversation: str) -> None:
        """Wait until a request to ``conversation`` is within the limits, then count it."""
        pacer = self.pacer(channel)
        while (wait := pacer.wait(conversation, self._now())) > 0:
            await self._sleep(
                math.ceil(wait * 1000) / 1000
            )  # whole milliseconds: clocks tick in µs
        pacer.record(conversation, self._now())

    def throttled(self, channel: str, conversation: str, retry_after: float) -> None:
        now = self._now()
        self.pacer(channel).hold(conversation, now, now + retry_after)

    def pause_app(self, channel: str, seconds: float) -> None:
        self.pacer(channel).hold_app(self._now() + seconds)
