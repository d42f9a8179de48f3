"""The routing pool of one process: the visible contributions with their counters, built from the
store and kept for a short while, so choosing the next contribution does not read every
contribution on every turn.

Reactions, additions and hides this process records update the pool in place at once; what other
processes record (other replicas) arrives when the pool is rebuilt, at most ``max_age`` later —
routing only needs roughly current counters. What must be exact is checked on every turn against
the store instead: a contribution must still be visible and not the reactor's own
(``store.offerable``), and the participant's own reactions (``reacted``) are read fresh. A
contribution the store no longer shows (hidden on another replica) is taken out of the pool as
soon as a turn finds that out.

Building a pool reads every visible contribution, so it never happens inside a turn's unit of
work (on SQLite that would hold the one write lock for everyone): :meth:`PoolCache.refresh`,
called before the unit of work opens, rebuilds a stale pool from its own read (``read``, a
connection that takes no write lock), and only one thread rebuilds at a time — the others keep
drawing from the pool they have until the new one is swapped in. Changes this process makes while
a rebuild reads are applied to the new pool before the swap, so none is lost.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from dialogen.contracts import Clock
from dialogen.contributions.routing import (
    Candidate,
    ReactionCounts,
    Reactor,
    RoutingPool,
    RoutingRules,
)
from dialogen.store import contributions as store
from dialogen.store.contributions import ContributionRow, Counters

Read = Callable[[], AbstractContextManager[Any]]
"""A short read of committed data, outside any unit of work (``Database.read``)."""

MAX_AGE = timedelta(seconds=30)


def candidate_of(row: ContributionRow | Counters, today: date) -> Candidate:
    """A contribution as routing sees it: counters only, the author as a pseudonym."""
    days = (today - row.visible_on).days if row.visible_on else 0
    groups = json.loads(row.groups) if isinstance(row.groups, str) else row.groups
    return Candidate(
        id=row.id,
        author=row.pseudonym,
        visible=row.state == store.VISIBLE,
        days_visible=max(days, 0),
        counts=ReactionCounts(row.agree, row.disagree, row.passes),
        by_group={group: _counts(*counts) for group, counts in (groups or {}).items()},
    )


@lru_cache(maxsize=8192)
def _counts(agree: int, disagree: int, passed: int) -> ReactionCounts:
    """Counts per group are small numbers that repeat across contributions: one (frozen) value
    for each, instead of some 200,000 new ones when 5,000 contributions are loaded."""
    return ReactionCounts(agree, disagree, passed)


Key = tuple[str, RoutingRules]


class PoolCache:
    def __init__(self, *, clock: Clock, max_age: timedelta = MAX_AGE) -> None:
        self._clock = clock
        self._max_age = max_age
        self._pools: dict[Key, tuple[datetime, RoutingPool]] = {}
        self._lock = threading.Lock()  # guards the pools' lists: turns run in several threads
        self._done = threading.Condition(self._lock)  # a build finished (or failed)
        # what this process changed while a rebuild reads: new counters, or the id of one now hidden
        self._building: dict[Key, list[Candidate | str]] = {}
        self.builds = 0
        """How many pools were built from the store (tests and the bench look)."""
        # per pool, the candidates of the last build by the row they came from: most rows have not
        # changed 30 s later, and their candidate (with its priority) is taken again, not decoded
        self._known: dict[Key, tuple[date, dict[Counters, Candidate]]] = {}

    # ------------------------------------------------------------ before the unit of work

    def refresh(self, read: Read, dialogue_key: str, rules: RoutingRules, *, now: datetime) -> None:
        """Rebuild the pool from ``read`` when it is missing or older than ``max_age`` — unless
        another thread is at it already: then the current pool serves until it is done, and
        when there is none yet (the first turns of a process) this waits for it."""
        key = (dialogue_key, rules)
        with self._lock:
            found = self._pools.get(key)
            if found is not None and now - found[0] < self._max_age:
                return
            if key in self._building:
                if found is None:
                    self._done.wait_for(lambda: key not in self._building)
                return
            self._building[key] = []
        try:
            pool = self._build(read, key, now)
        except BaseException:
            with self._lock:
                del self._building[key]
                self._done.notify_all()
            raise
        with self._lock:
            for candidate in self._building.pop(key):
                _take_in(pool, candidate)
            self._pools[key] = (now, pool)
            self.builds += 1
            self._done.notify_all()

    def _build(self, read: Read, key: Key, now: datetime) -> RoutingPool:
        """Only by the one thread that marked ``key`` as building."""
        with read() as connection:
            rows = store.visible(connection, dialogue_key=key[0])
        today = now.date()
        day, known = self._known.get(key, (today, {}))
        if day != today:  # days_visible changed for every candidate
            known = {}
        candidates = {row: known.get(row) or candidate_of(row, today) for row in rows}
        self._known[key] = (today, candidates)
        return RoutingPool(candidates.values(), key[1])

    # ------------------------------------------------------------ in the turn

    def draw(
        self,
        read: Read,
        dialogue_key: str,
        rules: RoutingRules,
        reactor: Reactor,
        *,
        seed: int | str,
        size: int,
        now: datetime,
    ) -> tuple[str, ...]:
        """Up to ``size`` contributions for ``reactor`` from the pool as it is, stale or not (a
        pool is built here only when there is none at all, and then from ``read`` too)."""
        key = (dialogue_key, rules)
        if key not in self._pools:
            self.refresh(read, dialogue_key, rules, now=now)
        with self._lock:
            found = self._pools.get(key)
            if found is not None:
                return found[1].batch_for(reactor, seed=seed, size=size)
        # the first build failed in another thread: this turn reads a pool for itself
        return _built(read, dialogue_key, rules, now).batch_for(reactor, seed=seed, size=size)

    def gone(self, contribution_ids: Iterable[str]) -> None:
        """Contributions the store no longer shows (hidden, perhaps on another replica): never
        drawn again here, without waiting for the next rebuild."""
        contribution_ids = list(contribution_ids)
        with self._lock:
            for _, pool in self._pools.values():
                for contribution_id in contribution_ids:
                    pool.hide(contribution_id)
            for pending in self._building.values():
                pending.extend(contribution_ids)

    # ------------------------------------------------------------ after the engine

    def put(self, row: ContributionRow, today: date) -> None:
        """A contribution was added or changed here (a shared answer, an addition, a hide): the
        pools take it in without reading the store again. A new one waiting for approval changes
        nothing; one already in a pool gets its new visibility."""
        self._take_in(candidate_of(row, today))

    def update(self, row: ContributionRow, today: date) -> None:
        """A reaction was recorded here: the pools take the contribution's new counters."""
        self._take_in(candidate_of(row, today))

    def changed(self) -> None:
        """Read everything again on the next turn (the pools are dropped)."""
        with self._lock:
            self._pools.clear()

    def _take_in(self, candidate: Candidate) -> None:
        with self._lock:
            for _, pool in self._pools.values():
                _take_in(pool, candidate)
            for pending in self._building.values():
                pending.append(candidate)


def _built(read: Read, dialogue_key: str, rules: RoutingRules, now: datetime) -> RoutingPool:
    with read() as connection:
        rows = store.visible(connection, dialogue_key=dialogue_key)
    today = now.date()
    return RoutingPool((candidate_of(row, today) for row in rows), rules)


def _take_in(pool: RoutingPool, change: Candidate | str) -> None:
    if isinstance(change, str):
        pool.hide(change)
    elif change.id in pool:
        pool.update(change)
    elif change.visible:
        pool.add(change)
