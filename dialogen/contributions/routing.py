"""Which contribution a participant reacts to next in Verrijken (eens / oneens / pas).

Pure and deterministic: no identities, only pseudonyms, opaque ids, coarse groups ("rol:...",
"provincie:...", "netwerk:...") and reaction counts. Build a :class:`RoutingPool` from the
candidates, ask it for the next contribution (or a mail batch), and update it as reactions come in.

A candidate's weight is the product of

1. its priority (:mod:`dialogen.contributions.priority`): Polis's comment priority with a
   group-based divisiveness, lifted for contributions still under the target number of reactions;
2. for each of the reactor's groups, ``(reactions from that group + 1) ** -group_strength``
   (:meth:`RoutingPool.group_factor`): a reactor is steered to contributions their groups have
   reacted to least, which evens out the reactions per contribution within every group, so that
   consensus across groups can be measured later for every contribution, not only the popular
   ones. ``RoutingRules.group_strength = 0`` switches this off.

The next one is a weighted random draw, proportional to the weight. Never shown: the reactor's own
contributions, ones they already reacted to, hidden or pending ones. The random generator is
seeded from the seed, the reactor's pseudonym and how many reactions they gave, so different
participants get different orders and a rerun gives the same one. Candidate order does not matter
(the pool sorts by id once).

Cost: building a pool is one pass over the candidates (their priorities are cached on the
candidate values, so a pool rebuilt with mostly the same candidates is cheap); a new candidate is
inserted in place (:meth:`RoutingPool.add`: a few list inserts, no weights computed again); a draw
multiplies one list per reactor group (computed on the group's first draw, then kept current by
updates), zeroes the excluded ones and bisects the running sum: no sorting per draw.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate
from operator import mul

from dialogen.contributions.priority import (
    NO_REACTIONS,
    ReactionCounts,
    divisiveness,
    fair_hearing,
    polis_priority,
)

__all__ = ["Candidate", "ReactionCounts", "Reactor", "RoutingPool", "RoutingRules", "draw_seed"]
__all__ += ["next_contribution"]


@dataclass(frozen=True)
class Candidate:
    """A contribution that may be shown: ``author`` is the author's pseudonym, ``days_visible``
    how long it has been visible (0 for new), ``by_group`` the counts per reactor group."""

    id: str
    author: str
    visible: bool
    days_visible: float
    counts: ReactionCounts
    by_group: Mapping[str, ReactionCounts] = field(default_factory=dict, hash=False)
    _priority: float | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.days_visible < 0:
            raise ValueError(f"contribution {self.id}: days_visible cannot be negative")
        for group, counts in self.by_group.items():
            if counts.seen > self.counts.seen:
                raise ValueError(f"contribution {self.id}: group {group} counts exceed the total")

    @property
    def priority(self) -> float:
        """Polis's priority with the group divisiveness; computed once per value (a plain
        attribute: ``functools.cached_property`` takes a lock on every first access in 3.11)."""
        if self._priority is None:
            spread = divisiveness(self.by_group.values())
            c = self.counts
            found = polis_priority(agree=c.agree, passed=c.passed, seen=c.seen, extremity=spread)
            object.__setattr__(self, "_priority", found)
            return found
        return self._priority


@dataclass(frozen=True)
class Reactor:
    """Who asks for the next contribution: pseudonym, groups, the ids they reacted to."""

    pseudonym: str
    groups: frozenset[str]
    reacted: frozenset[str]


@dataclass(frozen=True)
class RoutingRules:
    target: int = 10
    """Reactions every approved contribution should get (from the dialogue file)."""
    group_strength: float = 1.0
    """Exponent of the group factor; 0 switches the group-aware preference off."""

    def __post_init__(self) -> None:
        if self.target < 1:
            raise ValueError("the target number of reactions must be at least 1")
        if self.group_strength < 0:
            raise ValueError("group_strength cannot be negative")


class RoutingPool:
    """The candidates with their weights, ready for many draws; :meth:`update` keeps it current
    as reactions come in. Hidden candidates are kept with weight 0, so one that is approved later
    is an update too; a contribution new to the pool needs a new pool."""

    def __init__(self, candidates: Iterable[Candidate], rules: RoutingRules) -> None:
        self.rules = rules
        self._candidates = sorted(candidates, key=lambda c: c.id)
        self._ids = [c.id for c in self._candidates]
        self._index = {cid: i for i, cid in enumerate(self._ids)}
        if len(self._index) != len(self._candidates):
            raise ValueError("candidate ids must be unique")
        self._by_author: dict[str, list[str]] = {}
        for c in self._candidates:
            self._by_author.setdefault(c.author, []).append(c.id)
        self._base = [self._base_of(c) for c in self._candidates]
        self._group_counts = [c.by_group for c in self._candidates]
        self._factors: dict[str, list[float]] = {}
        self._power_table: list[float] = []

    def update(self, candidate: Candidate) -> None:
        """New statistics (or visibility) for a contribution already in the pool."""
        i = self._index.get(candidate.id)
        if i is None:
            raise KeyError(f"contribution {candidate.id} is not in this pool; build a new one")
        if candidate.author != self._candidates[i].author:
            raise ValueError(f"contribution {candidate.id} cannot change its author")
        self._candidates[i] = candidate
        self._base[i] = self._base_of(candidate)
        self._group_counts[i] = candidate.by_group
        for group, factors in self._factors.items():
            seen = (candidate.by_group.get(group) or NO_REACTIONS).seen
            factors[i] = self._powers(seen)[seen]

    def add(self, candidate: Candidate) -> None:
        """Take in one more candidate in place, where a new pool would have it (id order): the
        same draws as a pool built with it gives, without computing every weight again (a few
        list inserts and the index renumbered)."""
        if candidate.id in self._index:
            raise ValueError(f"contribution {candidate.id} is already in this pool")
        at = bisect_left(self._ids, candidate.id)
        self._candidates.insert(at, candidate)
        self._ids.insert(at, candidate.id)
        self._base.insert(at, self._base_of(candidate))
        self._group_counts.insert(at, candidate.by_group)
        for group, factors in self._factors.items():
            seen = (candidate.by_group.get(group) or NO_REACTIONS).seen
            factors.insert(at, self._powers(seen)[seen])
        self._by_author.setdefault(candidate.author, []).append(candidate.id)
        if at == len(self._ids) - 1:
            self._index[candidate.id] = at
        else:
            self._index = {cid: i for i, cid in enumerate(self._ids)}

    def hide(self, contribution_id: str) -> None:
        """Never draw this contribution again (it is hidden now); unknown ids are ignored."""
        i = self._index.get(contribution_id)
        if i is not None and self._candidates[i].visible:
            self.update(replace(self._candidates[i], visible=False))

    def _base_of(self, c: Candidate) -> float:
        if not c.visible:
            return 0.0
        return fair_hearing(
            c.priority, seen=c.counts.seen, target=self.rules.target, days_visible=c.days_visible
        )

    def __len__(self) -> int:
        return len(self._candidates)

    def __contains__(self, contribution_id: object) -> bool:
        return contribution_id in self._index

    def next_for(self, reactor: Reactor, *, seed: int | str) -> str | None:
        """The next contribution for ``reactor``, or None when nothing is left."""
        batch = self.batch_for(reactor, seed=seed, size=1)
        return batch[0] if batch else None

    def batch_for(self, reactor: Reactor, *, seed: int | str, size: int) -> tuple[str, ...]:
        """Up to ``size`` distinct contributions, drawn one after the other by the same rules
        (a mail batch); the first is what :meth:`next_for` gives."""
        weights = self.weights_for(reactor)
        rng = random.Random(draw_seed(seed, reactor))
        chosen: list[str] = []
        while len(chosen) < size:
            running = list(accumulate(weights))
            if not running or running[-1] <= 0.0:
                break
            # bisect_right never lands on a zero weight: its running sum equals its predecessor's.
            picked = bisect_right(running, rng.random() * running[-1])
            if picked == len(running):  # random() * total rounded up to the total
                picked = max(i for i, weight in enumerate(weights) if weight > 0.0)
            chosen.append(self._ids[picked])
            weights[picked] = 0.0
        return tuple(chosen)

    def weights_for(self, reactor: Reactor) -> list[float]:
        """Each candidate's weight for this reactor, in id order; 0 for what may not be shown."""
        weights = self._base.copy()
        if self.rules.group_strength > 0:
            for group in sorted(reactor.groups):  # a fixed order: the same floats every run
                weights = list(map(mul, weights, self.group_factor(group)))
        index = self._index
        for contribution_id in (*self._by_author.get(reactor.pseudonym, ()), *reactor.reacted):
            i = index.get(contribution_id, -1)
            if i >= 0:
                weights[i] = 0.0
        return weights

    def group_factor(self, group: str) -> list[float]:
        """Per candidate, ``(reactions from group + 1) ** -group_strength``: the fewer reactions
        a contribution has from ``group``, the more a reactor from it is steered there. Only the
        ratios between candidates matter, so with strength 1 a contribution without reactions
        from the group weighs 6 times one with 5 and 11 times one with 10. Computed once per
        group per pool and kept current by :meth:`update`.
        """
        cached = self._factors.get(group)
        if cached is None:
            seen = [(m.get(group) or NO_REACTIONS).seen for m in self._group_counts]
            powers = self._powers(max(seen, default=0))
            cached = [powers[n] for n in seen]
            self._factors[group] = cached
        return cached

    def _powers(self, most: int) -> list[float]:
        """``(n + 1) ** -group_strength`` for n = 0 .. at least ``most``, kept for the pool."""
        strength, powers = self.rules.group_strength, self._power_table
        powers.extend(float((n + 1) ** -strength) for n in range(len(powers), most + 1))
        return powers


def draw_seed(seed: int | str, reactor: Reactor) -> int:
    """The per-draw seed: from the dialogue's seed, the pseudonym and the reactions given."""
    text = f"{seed}\x1f{reactor.pseudonym}\x1f{len(reactor.reacted)}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def next_contribution(
    candidates: Iterable[Candidate], reactor: Reactor, *, rules: RoutingRules, seed: int | str
) -> str | None:
    """One draw without keeping the pool."""
    return RoutingPool(candidates, rules).next_for(reactor, seed=seed)
