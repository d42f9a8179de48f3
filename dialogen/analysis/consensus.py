"""Consensus across groups: is a theme or statement supported in every group, or does it split them?

The score is Polis's *group-aware consensus* (compdemocracy/polis,
``math/src/polismath/math/conversation.clj``, "group-aware-consensus", from the per-group vote
counts of ``repness.clj``): for one statement, the product over groups g of (A_g + 1) / (S_g + 2),
with A_g the members of g who agreed and S_g those who saw it (agreed, disagreed or passed). Each
factor is a smoothed chance that a member of g agrees, so one group that does not agree pulls the
product down however large the others are. Polis multiplies over opinion clusters; we multiply over
segment groups (role group, province, network). Our own code.

Per group, support = agreed / seen: a pass counts as seen, neither for nor against. For a theme
from Voorkeuren (:func:`theme_consensus`), agreed = picked it and seen = answered the question.

Only what is shown counts. A group counts when its number seen is shown (so at least k): groups
under k, and groups hidden so that a small one cannot be computed, do not count and are not
listed. Within a counted group the agree count may be hidden; its support is then known only as
an interval (from the display: under k, or at least k, and what the group's other shown counts
leave), and every conclusion below holds for *every* value in it:

- ``score``: Polis's product with each hidden agree count at its lowest possible value — exact
  when every count is shown (``score_exact``), a lower bound otherwise;
- ``broadly_supported`` ("breed gedragen"): at least one group counts, and in every counted group
  support is above ``threshold`` (default 0.5) for certain;
- ``divided`` ("verdeeld"): at least two groups count, at least one supports it above
  ``threshold`` for certain, at least one is at or below ``threshold`` for certain, and the
  distance between them (highest certain support minus lowest possible one) is at least ``gap``
  (default 0.25) — a split across groups, not 0.51 against 0.49. The two flags never hold
  together.

Computing everything from the display means the score and flags cannot reveal a hidden count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from dialogen.analysis.priorities import Method, Prioritisation, ThemeScore
from dialogen.analysis.respondents import (
    EVERYONE,
    ROLE,
    Dimension,
    Family,
    Respondent,
    Table,
    groups_of,
    publish,
)
from dialogen.analysis.suppression import Cell, Key, Relation, Sum, Suppressed, Within, cell_bounds
from dialogen.privacy.anonymity import K_ANONYMITY

THRESHOLD = 0.5
GAP = 0.25


class Stance(Enum):
    AGREE = "eens"
    DISAGREE = "oneens"
    PASS = "pas"


@dataclass(frozen=True)
class Reaction:
    """One respondent's reaction to a contribution (a statement)."""

    respondent: Respondent
    item: str
    stance: Stance


@dataclass(frozen=True)
class GroupSupport:
    group: str  # "" for everyone
    seen: Cell
    agree: Cell
    disagree: Cell | None  # reactions only
    passed: Cell | None  # reactions only
    support: float | None  # agree / seen when both are shown
    low: float  # the lowest support the display allows
    high: float  # the highest


@dataclass(frozen=True)
class Consensus:
    item: str
    dimension: str
    everyone: GroupSupport | None  # None when fewer than k saw it
    groups: tuple[GroupSupport, ...]  # the groups that count, in name order
    score: float | None  # None when no group counts
    score_exact: bool
    broadly_supported: bool
    divided: bool


def reaction_consensus(
    reactions: Iterable[Reaction],
    *,
    dimension: Dimension = ROLE,
    k: int = K_ANONYMITY,
    threshold: float = THRESHOLD,
    gap: float = GAP,
) -> tuple[Consensus, ...]:
    """Per statement (in the order first reacted to): eens/oneens/pas per group, suppressed as
    one publication, then judged."""
    stances: dict[str, dict[str, Stance]] = {}
    respondents: dict[str, Respondent] = {}
    for reaction in reactions:
        given = stances.setdefault(reaction.item, {})
        if reaction.respondent.key in given:
            raise ValueError("one reaction per respondent and statement")
        given[reaction.respondent.key] = reaction.stance
        respondents[reaction.respondent.key] = reaction.respondent

    def table(chosen: tuple[Dimension, ...]) -> Table:
        counts: dict[Key, int] = {}
        relations: list[Relation] = []
        families: list[Family] = []
        for item, given in stances.items():
            prefix: Key = ("item", item)
            groups = groups_of((respondents[key] for key in given), chosen)
            counts |= groups.counts(prefix)
            relations += groups.relations(prefix)
            families.append({prefix + key: found for key, found in groups.members.items()})
            for key, members in groups.members.items():
                cells = tuple(prefix + key + (stance.value,) for stance in Stance)
                for stance, cell in zip(Stance, cells, strict=True):
                    counts[cell] = sum(given[m] is stance for m in members)
                    relations.append(Within(cell, prefix + key, follows=True))
                relations.append(Sum(prefix + key, cells))
            for d in chosen:
                keys = groups.of(d)
                if d.partition and keys:
                    relations += [
                        Sum(
                            prefix + EVERYONE + (s.value,),
                            tuple(prefix + g + (s.value,) for g in keys),
                        )
                        for s in Stance
                    ]
        return counts, relations, families

    shown, dimensions = publish(table, (dimension,), _reaction_group, k=k)
    found = []
    for item, given in stances.items():
        prefix = ("item", item)
        groups = groups_of((respondents[key] for key in given), dimensions)
        rows = [
            found_row
            for key in groups.of(dimension)
            if (found_row := _reaction_support(shown, prefix + key, key[2])) is not None
        ]
        everyone = _reaction_support(shown, prefix + EVERYONE, "")
        found.append(_judge(item, dimension.name, everyone, rows, threshold, gap))
    return tuple(found)


def theme_consensus(
    result: Prioritisation,
    *,
    dimension: Dimension = ROLE,
    threshold: float = THRESHOLD,
    gap: float = GAP,
) -> tuple[Consensus, ...]:
    """Per theme of an approval result (in its themes' order): support = the share of a group
    who picked it; computed from the result's display only, so nothing is suppressed anew."""
    if result.method is not Method.APPROVAL:
        raise ValueError("theme consensus reads an approval (top-N) result")
    found = []
    for theme in result.themes:
        rows = [
            _theme_support(scores.respondents, scores.themes, theme, scores.group, result.k)
            for scores in result.groups
            if scores.dimension == dimension.name and scores.respondents.shown
        ]
        everyone = _theme_support(
            result.everyone.respondents, result.everyone.themes, theme, "", result.k
        )
        found.append(_judge(theme, dimension.name, everyone, rows, threshold, gap))
    return tuple(found)


def _reaction_group(cell: Key) -> Key | None:
    return cell[:5] if len(cell) > 2 and cell[2] == "group" else None


def _reaction_support(shown: Suppressed, key: Key, group: str) -> GroupSupport | None:
    seen = shown[key]
    if seen.count is None:
        return None
    agree, disagree, passed = (shown[key + (s.value,)] for s in Stance)
    low, high = _agree_range(seen.count, agree, (disagree, passed), shown.k)
    return GroupSupport(group, seen, agree, disagree, passed, _share(agree, seen), low, high)


def _theme_support(
    respondents: Cell, themes: Sequence[ThemeScore], theme: str, group: str, k: int
) -> GroupSupport | None:
    picked = next((t.picked for t in themes if t.theme == theme), None)
    if respondents.count is None or picked is None:
        return None
    low, high = _agree_range(respondents.count, picked, (), k)
    return GroupSupport(
        group, respondents, picked, None, None, _share(picked, respondents), low, high
    )


def _agree_range(seen: int, agree: Cell, others: Sequence[Cell], k: int) -> tuple[float, float]:
    """Support as the display allows it: agree within its own bounds and within what the other
    shown counts of the group leave (agree + disagree + pass = seen)."""
    low, high = cell_bounds(agree, k)
    rest = [cell_bounds(c, k) for c in others]
    if rest:
        low = max(low, seen - sum(h if h is not None else seen for _, h in rest))
        high = min(high if high is not None else seen, seen - sum(lo for lo, _ in rest))
    high = min(high if high is not None else seen, seen)
    return max(low, 0) / seen, high / seen


def _share(part: Cell, whole: Cell) -> float | None:
    if part.count is None or whole.count is None or whole.count == 0:
        return None
    return part.count / whole.count


def _judge(
    item: str,
    dimension: str,
    everyone: GroupSupport | None,
    groups: Sequence[GroupSupport | None],
    threshold: float,
    gap: float,
) -> Consensus:
    counted = sorted((g for g in groups if g is not None), key=lambda g: g.group)
    if not counted:
        return Consensus(item, dimension, everyone, (), None, True, False, False)
    factors = []
    for g in counted:
        seen = g.seen.count or 0
        agreed = round(g.low * seen)  # the lowest the display allows
        factors.append((agreed + 1) / (seen + 2))
    score = math.prod(factors)
    exact = all(g.agree.shown for g in counted)
    broad = all(g.low > threshold for g in counted)
    above = [g.low for g in counted if g.low > threshold]
    below = [g.high for g in counted if g.high <= threshold]
    divided = len(counted) >= 2 and bool(above) and bool(below) and max(above) - min(below) >= gap
    return Consensus(item, dimension, everyone, tuple(counted), score, exact, broad, divided)
