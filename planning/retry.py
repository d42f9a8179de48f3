"""What to do after a failed send: retry later, give up, or treat the recipient as unreachable.

Teams asks bots to retry 429 (honouring ``Retry-After``), 412, 502, 503 and 504 with exponential
backoff and jitter; we also retry 500 and requests that got no answer at all. 403 means the
recipient cannot be reached in Teams (blocked the bot, app removed). 401 means the bot's own
credentials were refused: no message can go out on that channel until an operator fixes them, so
the message is held (the attempt does not count) and the channel pauses. Any other 4xx will not
get better by trying again. Every other retry counts towards a cap; after it the message fails
with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planning.contracts import SendFailure, backoff_delay

RETRYABLE_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
UNREACHABLE_STATUSES = frozenset({403})
CREDENTIALS_STATUSES = frozenset({401})


@dataclass(frozen=True)
class Retry:
    delay: float  # seconds from now
    reason: str


@dataclass(frozen=True)
class Hold:
    """Our side is at fault (credentials refused): wait ``delay`` seconds, attempt not counted."""

    delay: float
    reason: str


@dataclass(frozen=True)
class GiveUp:
    reason: str


@dataclass(frozen=True)
class Unreachable:
    reason: str


Verdict = Retry | Hold | GiveUp | Unreachable


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8  # attempts in total, the first one included
    base_delay: float = 1.0  # seconds before the first retry (before jitter)
    max_delay: float = 600.0  # backoff never waits longer than this (a Retry-After may)
    credentials_pause: float = 300.0  # how long a channel waits after its credentials were refused

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_delay <= 0 or self.max_delay < self.base_delay:
            raise ValueError("retry policy needs max_attempts >= 1 and 0 < base_delay <= max_delay")
        if self.credentials_pause <= 0:
            raise ValueError("retry policy needs credentials_pause > 0")

    def judge(self, failure: SendFailure, *, attempts: int, random: Callable[[], float]) -> Verdict:
        """``attempts``: how many attempts were made, this one included; ``random`` gives [0, 1)."""
        if failure.status in CREDENTIALS_STATUSES:
            return Hold(self.credentials_pause, failure.reason)
        if failure.unreachable or failure.status in UNREACHABLE_STATUSES:
            return Unreachable(failure.reason)
        transient = failure.status is None or failure.status in RETRYABLE_STATUSES
        if failure.permanent or not transient:
            return GiveUp(failure.reason)
        if attempts >= self.max_attempts:
            return GiveUp(f"{failure.reason} (gave up after {attempts} attempts)")
        if failure.retry_after is not None:
            # honour the server's wait (429 Retry-After); a little jitter on top spreads the retries
            return Retry(max(failure.retry_after, 0.0) * (1 + 0.1 * random()), failure.reason)
        return Retry(self.backoff(attempts, random), failure.reason)

    def backoff(self, attempts: int, random: Callable[[], float]) -> float:
        """Exponential with "equal jitter": half the step fixed, half random, capped."""
        return backoff_delay(attempts, base=self.base_delay, cap=self.max_delay, random=random)
