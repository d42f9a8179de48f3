"""Prioritisation (Voorkeuren): which themes respondents put first — for everyone and per group.

Three ways of asking, three aggregates (each respondent's values per theme, then per group):

- **Approval** (top-N choice, :func:`approval`): a picked theme counts 1. Per theme: how many
  picked it (a count, suppressed like every count) and the share of respondents who did.
- **Truncated Borda** (ranking of the top N of M themes, :func:`borda`): position 1 scores N
  points, position 2 N-1, ..., position N 1, an unranked theme 0. Per theme: the points given
  and the mean per respondent. This is the score Loomio gives a ranked-choice poll
  (``app/models/stance_choice.rb``: rank = minimum_stance_choices - score + 1, i.e. score = N -
  rank + 1; totals per option summed in ``app/services/poll_service.rb``); our own code.
- **Dividing points** (divide P points over the themes, :func:`points`): per theme the points
  given and the mean per respondent.

Each mean comes with a 90 % percentile-bootstrap interval over respondents
(:mod:`dialogen.analysis.bootstrap`; B = 1000, seed per method, dimension and group).

Order within a group, ties broken deterministically: approval by count, Borda by points then by
the number of first places, points by points; then the themes' own order. A theme whose count is
hidden comes last, unranked, in the themes' own order (ranking it would say how small it is).

Groups (role group, province, network; a respondent counts in each of their networks) and
everyone go through one :func:`~dialogen.analysis.respondents.suppress_groups` per call: a group
under k is not shown, nor is any figure of it, and the groups that are not shown never let a
figure over fewer than k respondents be computed from those that are. Only shown groups are
listed (so a reader cannot tell an empty group from a hidden one). Points are no counts of
people and are shown for every shown group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from dialogen.analysis.bootstrap import RESAMPLES, Interval, mean_intervals
from dialogen.analysis.respondents import (
    DIMENSIONS,
    EVERYONE,
    Dimension,
    Groups,
    Respondent,
    Table,
    groups_of,
    publish,
)
from dialogen.analysis.suppression import Cell, Key, Relation, Sum, Within
from dialogen.privacy.anonymity import K_ANONYMITY


class Method(Enum):
    APPROVAL = "approval"
    BORDA = "borda"
    POINTS = "points"


@dataclass(frozen=True)
class Picks:
    """A top-N choice: the themes one respondent picked."""

    respondent: Respondent
    themes: frozenset[str]


@dataclass(frozen=True)
class Ranking:
    """A ranking: the themes one respondent put first, second, ... (at most N)."""

    respondent: Respondent
    order: tuple[str, ...]


@dataclass(frozen=True)
class Allocation:
    """Points one respondent gave to themes (themes left out got 0)."""

    respondent: Respondent
    points: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    rank: int | None  # 1 = first; None when its count is hidden
    picked: Cell | None  # approval: how many picked it (a count, suppressed); else None
    points: int | None  # Borda and points: the points the group gave it; approval: None
    mean: float | None  # approval: the share who picked it; else mean points per respondent
    interval: Interval | None  # 90 % bootstrap interval of ``mean``


@dataclass(frozen=True)
class GroupScores:
    dimension: str  # "everyone" for all respondents
    group: str
    respondents: Cell
    themes: tuple[ThemeScore, ...]  # in rank order; empty when the group is not shown


@dataclass(frozen=True)
class Prioritisation:
    method: Method
    themes: tuple[str, ...]
    everyone: GroupScores
    groups: tuple[GroupScores, ...]  # shown groups only, per dimension in the order asked
    k: int
    resamples: int

    def group(self, dimension: str, group: str) -> GroupScores | None:
        return next((g for g in self.groups if (g.dimension, g.group) == (dimension, group)), None)


def approval(
    rows: Iterable[Picks],
    themes: Sequence[str],
    *,
    dimensions: Sequence[Dimension] = DIMENSIONS,
    k: int = K_ANONYMITY,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Prioritisation:
    index = _index(themes)
    scored = [(row.respondent, {_at(index, t): 1 for t in row.themes}) for row in rows]
    return _prioritise(Method.APPROVAL, themes, scored, dimensions, k, resamples, seed)


def borda(
    rows: Iterable[Ranking],
    themes: Sequence[str],
    *,
    positions: int,
    dimensions: Sequence[Dimension] = DIMENSIONS,
    k: int = K_ANONYMITY,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Prioritisation:
    """Truncated Borda for rankings of the top ``positions`` (N) themes."""
    if positions < 1:
        raise ValueError("positions must be at least 1")
    index = _index(themes)
    scored = []
    for row in rows:
        if len(row.order) > positions or len(set(row.order)) != len(row.order):
            raise ValueError(f"a ranking holds at most {positions} different themes")
        scored.append(
            (row.respondent, {_at(index, t): positions - i for i, t in enumerate(row.order)})
        )
    return _prioritise(Method.BORDA, themes, scored, dimensions, k, resamples, seed, positions)


def points(
    rows: Iterable[Allocation],
    themes: Sequence[str],
    *,
    dimensions: Sequence[Dimension] = DIMENSIONS,
    k: int = K_ANONYMITY,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Prioritisation:
    index = _index(themes)
    scored = []
    for row in rows:
        given = dict(row.points)
        if len(given) != len(row.points) or any(p < 0 for p in given.values()):
            raise ValueError("points are given once per theme and never negative")
        scored.append((row.respondent, {_at(index, t): p for t, p in given.items() if p}))
    return _prioritise(Method.POINTS, themes, scored, dimensions, k, resamples, seed)


def _index(themes: Sequence[str]) -> dict[str, int]:
    if not themes or len(set(themes)) != len(themes):
        raise ValueError("themes must be a non-empty list without repeats")
    return {t: i for i, t in enumerate(themes)}


def _at(index: dict[str, int], theme: str) -> int:
    if theme not in index:
        raise ValueError(f"unknown theme {theme!r}")
    return index[theme]


def _prioritise(
    method: Method,
    themes: Sequence[str],
    scored: list[tuple[Respondent, dict[int, int]]],
    dimensions: Sequence[Dimension],
    k: int,
    resamples: int,
    seed: int,
    positions: int = 0,
) -> Prioritisation:
    by_key = {respondent.key: values for respondent, values in scored}
    if len(by_key) != len(scored):
        raise ValueError("one answer per respondent")
    respondents = [r for r, _ in scored]

    def table(chosen: tuple[Dimension, ...]) -> Table:
        groups = groups_of(respondents, chosen)
        counts, relations = _table(method, groups, by_key, themes)
        return counts, relations, [groups.members]

    shown, dimensions = publish(table, dimensions, _group_of, k=k)
    groups = groups_of(respondents, dimensions)

    def scores(dimension: str, key: Key) -> GroupScores:
        group = key[2] if len(key) > 2 else ""
        if not shown.shown(key):
            return GroupScores(dimension, group, shown[key], ())
        members = sorted(groups.members[key])
        rows = [sorted(by_key[m].items()) for m in members]
        intervals = mean_intervals(
            rows,
            len(themes),
            seed=f"{seed}/{method.value}/{dimension}/{group}",
            resamples=resamples,
        )
        found = []
        for i, theme in enumerate(themes):
            given = sum(by_key[m].get(i, 0) for m in members)
            picked = shown[_picked(key, theme)] if method is Method.APPROVAL else None
            visible = picked is None or picked.shown
            found.append(
                ThemeScore(
                    theme,
                    None,
                    picked,
                    None if method is Method.APPROVAL else given,
                    given / len(members) if visible else None,
                    intervals[i] if visible else None,
                )
            )
        firsts = [sum(by_key[m].get(i) == positions for m in members) for i in range(len(themes))]
        return GroupScores(dimension, group, shown[key], _ranked(found, firsts))

    everyone = scores("everyone", EVERYONE)
    listed = tuple(
        scores(dimension.name, key)
        for dimension in dimensions
        for key in groups.of(dimension)
        if shown.shown(key)
    )
    return Prioritisation(method, tuple(themes), everyone, listed, k, resamples)


def _group_of(cell: Key) -> Key | None:
    return cell[:3] if cell[0] == "group" else None


def _picked(group: Key, theme: str) -> Key:
    return (*group, "picked", theme)


def _table(
    method: Method, groups: Groups, by_key: dict[str, dict[int, int]], themes: Sequence[str]
) -> tuple[dict[Key, int], list[Relation]]:
    """Respondents per group; for approval also who picked each theme, per group."""
    counts = groups.counts()
    relations = groups.relations()
    if method is not Method.APPROVAL:
        return counts, relations
    for key, members in groups.members.items():
        cells = tuple(_picked(key, theme) for theme in themes)
        for i, cell in enumerate(cells):
            counts[cell] = sum(i in by_key[m] for m in members)
            relations.append(Within(cell, key, follows=True))
        sizes = {len(by_key[m]) for m in members}
        if len(sizes) == 1 and (size := sizes.pop()) > 0:
            relations.append(Sum(key, cells, times=size))  # each of them picked `size` themes
    for dimension in groups.dimensions:
        keys = groups.of(dimension)
        if dimension.partition and keys:
            relations += [
                Sum(_picked(EVERYONE, theme), tuple(_picked(key, theme) for key in keys))
                for theme in themes
            ]
    return counts, relations


def _ranked(found: list[ThemeScore], firsts: list[int]) -> tuple[ThemeScore, ...]:
    """Rank order: shown figures first, by count or points, then first places, then the themes'
    own order; hidden counts last, unranked."""
    order = {score.theme: i for i, score in enumerate(found)}

    def key(score: ThemeScore) -> tuple[int, float, int, int]:
        i = order[score.theme]
        if score.picked is not None:
            count = score.picked.count
            return (0, -count, 0, i) if count is not None else (1, 0, 0, i)
        return (0, -(score.points or 0), -firsts[i], i)

    ranked = sorted(found, key=key)
    return tuple(
        ThemeScore(
            s.theme, n + 1 if s.mean is not None else None, s.picked, s.points, s.mean, s.interval
        )
        for n, s in enumerate(ranked)
    )
