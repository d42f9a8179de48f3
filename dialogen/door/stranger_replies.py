"""How often the bot may answer someone who is not a participant (mail-loop and backscatter guard).

Participants' answers go through the outbox and are limited per participant there (see
``dialogen.door.mail_intake``); a stranger has no participant row, so the outbox cannot hold their
reply.
Their polite reply is sent directly, at most ``per_address`` times per hour per address and
``in_total`` times per hour overall, never to addresses that cannot read it (no-reply, daemons).
The counts live in memory: a restart forgets them, which at worst allows one more reply each.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from datetime import datetime, timedelta

__all__ = ["StrangerReplies"]

_NEVER = re.compile(
    r"^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?|noreply-\w+|"
    r"notifications?|auto-?reply)(?:[+.-].*)?@",
    re.I,
)
_WINDOW = timedelta(hours=1)


class StrangerReplies:
    def __init__(self, *, per_address: int = 1, in_total: int = 30) -> None:
        self.per_address = per_address
        self.in_total = in_total
        self._sent: dict[str, deque[datetime]] = defaultdict(deque)
        self._all: deque[datetime] = deque()

    def allow(self, address: str, now: datetime) -> bool:
        """True (and counted) when a reply to ``address`` may go out now."""
        address = address.lower()
        if not address or _NEVER.match(address):
            return False
        self._forget(self._all, now)
        if len(self._sent) > 10_000:  # keep memory bounded: drop addresses with nothing recent
            for known in [a for a, m in self._sent.items() if not m or now - m[-1] >= _WINDOW]:
                del self._sent[known]
        sent = self._sent[address]
        self._forget(sent, now)
        if len(sent) >= self.per_address or len(self._all) >= self.in_total:
            return False
        sent.append(now)
        self._all.append(now)
        return True

    @staticmethod
    def _forget(moments: deque[datetime], now: datetime) -> None:
        while moments and now - moments[0] >= _WINDOW:
            moments.popleft()
