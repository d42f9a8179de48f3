"""The routing pool of one process: the visible contributions with their counters, built from the
store and kept for a short while, so choosing the next contribution does not read every
contribution on every turn.

Reactions this process records update the pool at once; what other processes record (other
replicas) arrives when the pool is rebuilt, at most ``max_age`` later — routing only needs roughly
current counters. What must be exact is checked on every turn against the store instead: a
contribution must still be visible (``texts_of``), and the participant's own reactions
(``reacted``) are read fresh.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from dialogen.contracts import Clock
from dialogen.contributions.routing import Candidate, ReactionCounts, RoutingPool, RoutingRules
from dialogen.store import contributions as store
from dialogen.store.contributions import ContributionRow, Counters

Session = Any
MAX_AGE = timedelta(seconds=30)


def candidate_of(row: ContributionRow | Counters, today: date) -> Candidate:
    """A contribution as routing sees it: counters only, the author as a pseudonym."""
    days = (today - row.visible_on).days if row.visible_on else 0
    return Candidate(
        id=row.id,
        author=row.pseudonym,
        visible=row.state == store.VISIBLE,
        days_visible=max(days, 0),
        counts=ReactionCounts(row.agree, row.disagree, row.passes),
        by_group={group: _counts(*counts) for group, counts in (row.groups or {}).items()},
    )


@lru_cache(maxsize=8192)
def _counts(agree: int, disagree: int, passed: int) -> ReactionCounts:
    """Counts per group are small numbers that repeat across contributions: one (frozen) value
    for each, instead of some 200,000 new ones when 5,000 contributions are loaded."""
    return ReactionCounts(agree, disagree, passed)


class PoolCache:
    def __init__(self, *, clock: Clock, max_age: timedelta = MAX_AGE) -> None:
        self._clock = clock
        self._max_age = max_age
        self._pools: dict[tuple[str, RoutingRules], tuple[datetime, RoutingPool]] = {}

    def pool(
        self, session: Session, dialogue_key: str, rules: RoutingRules, *, now: datetime
    ) -> RoutingPool:
        key = (dialogue_key, rules)
        found = self._pools.get(key)
        if found is not None and now - found[0] < self._max_age:
            return found[1]
        today = now.date()
        pool = RoutingPool(
            (candidate_of(row, today) for row in store.visible(session, dialogue_key=dialogue_key)),
            rules,
        )
        self._pools[key] = (now, pool)
        return pool

    def put(self, row: ContributionRow, today: date) -> None:
        """A contribution was added or changed here (a shared answer, an addition): the pools take
        it in without reading the store again. A new one waiting for approval changes nothing;
        one already in a pool gets its new visibility."""
        candidate = candidate_of(row, today)
        for key, (built, pool) in list(self._pools.items()):
            if candidate.id in pool:
                pool.update(candidate)
            elif candidate.visible:
                self._pools[key] = (built, pool.with_candidate(candidate))

    def changed(self) -> None:
        """A contribution was added, hidden or shown: rebuild on the next draw."""
        self._pools.clear()

    def update(self, row: ContributionRow, today: date) -> None:
        """A reaction was recorded here: the pools take the contribution's new counters."""
        candidate = candidate_of(row, today)
        for key, (_, pool) in list(self._pools.items()):
            try:
                pool.update(candidate)
            except KeyError:  # new to this pool: build it anew on the next draw
                del self._pools[key]
