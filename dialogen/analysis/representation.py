"""Representation: did each group of invitees respond, and which groups are falling behind?

Per step and dimension (role group, province, network) the input is, per group, how many were
invited and how many responded; the response rate of a group is responded / invited.

The **representation score** is Go Vocal's (CitizenLab's) R-score,
``UserCustomFields::Representativeness::RScore.min_max_p_ratio``: the lowest group rate divided by
the highest group rate. 1 means every group took part at the same rate; 0.5 means the group that
took part least did so half as much as the one that took part most. Our own code, with k:

- The counts are suppressed first (:mod:`dialogen.analysis.suppression`): invited and responded
  per group, each a partition of its total when the dimension is one (``partition``), and
  responded within invited per group. A rate is shown only when both its counts are.
- The score is taken over the groups whose rate is shown, so it never reveals a hidden count.
  A group with fewer than k invitees does not count (too small to speak of). A group with
  enough invitees whose responses are hidden (fewer than k, so also a group with 0 responses,
  whose rate 0 would make Go Vocal's score 0), or whose counts are hidden so that a small
  group cannot be computed, cannot be in the score: ``complete`` is then False and the group
  gets a ``NOT_SHOWN`` alert. With fewer than two shown rates there is no score (None): one
  group compared with itself says nothing.
- The groups **furthest behind**: the shown rates from lowest up; equal rates put the larger
  group first (more people missing), then the name.
- The **alert** "group below threshold": a shown rate below ``threshold`` (default 0.25).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from dialogen.analysis.suppression import Cell, Hidden, Key, Relation, Sum, Within, suppress
from dialogen.privacy.anonymity import K_ANONYMITY

THRESHOLD = 0.25
BEHIND = 3


@dataclass(frozen=True)
class GroupCount:
    group: str
    invited: int
    responded: int


@dataclass(frozen=True)
class GroupRate:
    group: str
    invited: Cell
    responded: Cell
    rate: float | None  # only when both counts are shown


class AlertReason(Enum):
    BELOW_THRESHOLD = "below threshold"
    NOT_SHOWN = "not shown"  # enough invitees, but the rate is hidden


@dataclass(frozen=True)
class Alert:
    group: str
    reason: AlertReason


@dataclass(frozen=True)
class Representation:
    step: str
    dimension: str
    invited: Cell | None  # totals only for a partition
    responded: Cell | None
    rate: float | None
    groups: tuple[GroupRate, ...]  # in the order given
    score: float | None
    complete: bool  # every group with enough invitees is in the score
    furthest_behind: tuple[str, ...]
    alerts: tuple[Alert, ...]


def representation(
    counts: Sequence[GroupCount],
    *,
    step: str,
    dimension: str,
    partition: bool,
    k: int = K_ANONYMITY,
    threshold: float = THRESHOLD,
    behind: int = BEHIND,
) -> Representation:
    """``counts``: every group of the dimension, zeros included (listing only the groups that have
    invitees would tell a reader that a hidden group is not empty). For a partition the totals
    are the sums of the groups; overlapping groups (networks) have no totals."""
    names = [c.group for c in counts]
    if len(set(names)) != len(names):
        raise ValueError("each group once")
    if any(c.invited < 0 or c.responded < 0 or c.responded > c.invited for c in counts):
        raise ValueError("responded must lie between 0 and invited")
    cells: dict[Key, int] = {}
    relations: list[Relation] = []
    for c in counts:
        cells[("invited", c.group)] = c.invited
        cells[("responded", c.group)] = c.responded
        relations.append(Within(("responded", c.group), ("invited", c.group)))
    if partition:
        for column in ("invited", "responded"):
            cells[(column,)] = sum(cells[(column, c.group)] for c in counts)
            if counts:
                relations.append(Sum((column,), tuple((column, c.group) for c in counts)))
        relations.append(Within(("responded",), ("invited",)))
    shown = suppress(cells, relations, k=k, lone_zeros=False)

    def rate(invited: Cell, responded: Cell) -> float | None:
        if invited.count is None or responded.count is None or invited.count == 0:
            return None
        return responded.count / invited.count

    groups = tuple(
        GroupRate(
            c.group,
            shown[("invited", c.group)],
            shown[("responded", c.group)],
            rate(shown[("invited", c.group)], shown[("responded", c.group)]),
        )
        for c in counts
    )
    rated = [g for g in groups if g.rate is not None]
    counted = [g for g in groups if g.invited.hidden is not Hidden.SMALL]
    rates = [g.rate for g in rated if g.rate is not None]
    score = min(rates) / max(rates) if len(rates) >= 2 and max(rates) > 0 else None
    order = sorted(rated, key=lambda g: (g.rate, -(g.invited.count or 0), g.group))
    alerts = [Alert(g.group, AlertReason.NOT_SHOWN) for g in counted if g.rate is None]
    alerts += [
        Alert(g.group, AlertReason.BELOW_THRESHOLD)
        for g in order
        if g.rate is not None and g.rate < threshold
    ]
    invited = shown[("invited",)] if partition else None
    responded = shown[("responded",)] if partition else None
    return Representation(
        step,
        dimension,
        invited,
        responded,
        rate(invited, responded) if invited and responded else None,
        groups,
        score,
        len(rated) == len(counted),
        tuple(g.group for g in order[:behind]),
        tuple(alerts),
    )
