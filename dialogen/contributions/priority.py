"""How much a contribution deserves to be shown next, before looking at who is reacting.

The core is Polis's comment priority (compdemocracy/polis, ``math/src/polismath/math/
conversation.clj``, ``importance-metric`` and ``priority-metric``)::

    p = (P + 1) / (S + 2)               pass rate, Laplace-smoothed
    a = (A + 1) / (S + 2)               agree rate, Laplace-smoothed
    importance = (1 - p) * (E + 1) * a
    priority = (importance * (1 + 8 * 2 ** (-S / 5))) ** 2

with A, P, S the agree, pass and seen counts; the second factor lets rarely seen comments bubble
up and the square deepens the bias. Polis takes E, the comment's *extremity*, from its PCA of the
vote matrix (how far the comment lies from the centre, i.e. how much it separates opinion groups).
We have no PCA but we do have the reactors' coarse groups, so our E is :func:`divisiveness`: the
spread of the smoothed agree rate ``(A_g + 1) / (S_g + 2)`` over the groups with at least k
reactions (max minus min, in [0, 1)). It is 0 until two groups have k reactions each, and grows
when, say, griffiers mostly agree and raadsleden mostly disagree — the same thing Polis's extremity
rewards, measured on the groups the report will break consensus down by. (The alternative, the
overall balance ``1 - |A - D| / (A + D + 1)``, says a contribution is contested but not *between
whom*, and Polis's ``a`` factor already weighs agreement.)

Beyond Polis, :func:`fair_hearing`: every approved contribution must reach the target number of
reactions, whatever its agree rate (Polis lets a mostly rejected comment sink; we may not). Under
the target a contribution weighs at least as much as a brand-new one (``FLOOR``), times a boost
for its shortfall, times a mild boost for how long it has been waiting (a contribution still
short after days is starving — a fresh one is already lifted by Polis's novelty term).

The counts these formulas read, :class:`ReactionCounts`, live here too; routing re-exports them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from dialogen.privacy.anonymity import K_ANONYMITY

NOVELTY_BOOST = 8.0
NOVELTY_HALVING = 5.0
"""Polis: ``1 + 8 * 2^(-S/5)``: an unseen contribution weighs 9 times, the extra halving every 5
reactions."""

MIN_GROUP_REACTIONS = K_ANONYMITY
"""A group's agree rate counts for divisiveness from this many reactions (fewer is noise, and no
report would show it)."""

SHORTFALL_BOOST = 9.0
"""Under the target: ``(1 + 9 * shortfall)``, shortfall = (target - S) / target; an unseen
contribution is boosted tenfold, one reaction short about twice."""

WAITING_DAYS = 7.0
"""Under the target, the boost for waiting grows linearly to twofold after this many days."""


@dataclass(frozen=True, slots=True)
class ReactionCounts:
    """Reactions to one contribution, in total or from one group: eens, oneens, pas."""

    agree: int = 0
    disagree: int = 0
    passed: int = 0
    seen: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if min(self.agree, self.disagree, self.passed) < 0:
            raise ValueError("reaction counts cannot be negative")
        object.__setattr__(self, "seen", self.agree + self.disagree + self.passed)


NO_REACTIONS = ReactionCounts()


def polis_priority(*, agree: int, passed: int, seen: int, extremity: float) -> float:
    """Polis's ``priority-metric`` for a comment that is not a meta comment."""
    pass_rate = (passed + 1) / (seen + 2)
    agree_rate = (agree + 1) / (seen + 2)
    importance = (1.0 - pass_rate) * (extremity + 1.0) * agree_rate
    novelty = 1.0 + NOVELTY_BOOST * math.pow(2.0, -seen / NOVELTY_HALVING)
    return (importance * novelty) ** 2


FLOOR = polis_priority(agree=0, passed=0, seen=0, extremity=0.0)
"""The priority of a contribution nobody has seen yet (about 5.06)."""


def divisiveness(groups: Iterable[ReactionCounts]) -> float:
    """Spread (max - min) of the smoothed agree rate over the groups with enough reactions."""
    rates = [(g.agree + 1) / (g.seen + 2) for g in groups if g.seen >= MIN_GROUP_REACTIONS]
    return max(rates) - min(rates) if len(rates) > 1 else 0.0


def fair_hearing(priority: float, *, seen: int, target: int, days_visible: float) -> float:
    """The priority with the target rule applied: unchanged from the target on."""
    if seen >= target:
        return priority
    shortfall = (target - seen) / target
    waiting = 1.0 + min(days_visible, WAITING_DAYS) / WAITING_DAYS
    return max(priority, FLOOR) * (1.0 + SHORTFALL_BOOST * shortfall) * waiting
