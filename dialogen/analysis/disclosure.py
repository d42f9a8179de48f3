"""Can a hidden count be computed from what is shown? The reader we guard against, and the search
for a second table that proves they cannot.

The reader (deliberately stronger than someone who only reads "< 5"):

- knows every shown count, and which cells are hidden;
- knows *why* each one is hidden: a cell under k lies in ``0 .. k-1``; any other hidden cell (a
  complement, a cell hidden with its group, a cell the caller withheld) is at least ``k``;
- knows every relation between the cells: each :class:`Sum` (parts that add up to a total, as a
  partition does, possibly ``times`` a total) and each :class:`Within` (a subgroup is never larger
  than its group).

A hidden cell is *recoverable* when every table consistent with all of that gives it the same
value. We prove it is not by finding one such table that differs from the true one in that cell:
a *witness*. The search starts from the true table, moves the cell by one, and repairs every sum
that no longer adds up by moving another hidden cell of that sum by one (and every part that
outgrew its whole by moving one of the two), depth first, until all relations hold again (an
augmenting path, as in a flow network: a 2-D table with margins is one).
A witness is checked against every relation and bound before it counts, so a "safe" answer is
always proven; when the search gives up (no table found within its budget) the caller treats the
cell as recoverable and hides one more, which costs detail but never leaks.

The one limit: when every cell a small one is tied to is hidden already (a tiny table that shows
nothing but "< 5"), there is nothing left to hide. Such a table gives a reader no number to start
from — the all-zero table fits it — so only the reasons could pin a cell; the proof is not
required there.

A witness stays valid when more cells are hidden later (a newly hidden cell keeps its true value,
which lies within its bounds), so each cell needs proving once; one witness proves every cell it
moves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Key = tuple[str, ...]

#: Search nodes per attempt, and the longest chain of moves; a witness in a table of a few hundred
#: hidden cells needs far fewer.
BUDGET = 4000
DEPTH = 60


@dataclass(frozen=True)
class Sum:
    """``times × total == sum(parts)``: the parts split the total (a partition of a shown total, a
    province into its sub-groups), or each respondent gives exactly ``times`` of the parts.

    ``pooled``: statistics other than counts (mean points, support) are shown for the parts, so
    what is hidden together (the total minus the shown parts) must itself hold 0 or at least k
    respondents — otherwise a mean over fewer than k people could be computed. Only for
    ``times == 1``.
    """

    total: Key
    parts: tuple[Key, ...]
    times: int = 1
    pooled: bool = False

    def __post_init__(self) -> None:
        if not self.parts:
            raise ValueError("a Sum needs at least one part")
        if len(set(self.parts)) != len(self.parts) or self.total in self.parts:
            raise ValueError("a Sum names each cell once")
        if self.times < 1:
            raise ValueError("times must be at least 1")
        if self.pooled and self.times != 1:
            raise ValueError("pooled applies to a plain partition (times == 1)")


@dataclass(frozen=True)
class Within:
    """``part <= whole``: a subgroup of a group (started within invited, picked within answered).

    It is no partition: the difference ("invited 12, started 9") is not a figure we hide. With
    ``follows`` the part is hidden whenever the whole is (a group that is not shown shows nothing).
    """

    part: Key
    whole: Key
    follows: bool = False


Relation = Sum | Within


def holds(relation: Relation, counts: Mapping[Key, int]) -> bool:
    """Whether the true counts satisfy the relation (one they do not satisfy tells a reader
    nothing true, so it is left out)."""
    if isinstance(relation, Sum):
        return relation.times * counts[relation.total] == sum(counts[p] for p in relation.parts)
    return counts[relation.part] <= counts[relation.whole]


class Reader:
    """The reader's equations for one set of hidden cells, and the witness search."""

    def __init__(
        self,
        counts: Mapping[Key, int],
        bounds: Mapping[Key, tuple[int, int | None]],
        sums: Sequence[Sum],
        withins: Sequence[Within],
    ) -> None:
        self._truth = counts
        self._bounds = bounds
        # Per sum: the hidden cells with their coefficient (total +times, each part -1).
        self._terms: list[dict[Key, int]] = []
        self._sums_of: dict[Key, list[int]] = {}
        for s in sums:
            terms = {p: -1 for p in s.parts if p in bounds}
            if s.total in bounds:
                terms[s.total] = s.times
            if not terms:
                continue
            for key in terms:
                self._sums_of.setdefault(key, []).append(len(self._terms))
            self._terms.append(terms)
        self._withins_of: dict[Key, list[Within]] = {}
        for w in withins:
            for key in (w.part, w.whole):
                if key in bounds:
                    self._withins_of.setdefault(key, []).append(w)

    def witness(self, cell: Key, budget: int = BUDGET) -> dict[Key, int] | None:
        """A change to the hidden cells (cell -> delta) that keeps every relation and bound and
        moves ``cell``; None when none was found."""
        for step in (1, -1):
            if not self.fits(cell, 0, step):
                continue
            search = _Search(self, cell, budget)
            found = search.run({cell: step}, DEPTH)
            if found is not None and self.consistent(found):
                return found
        return None

    def consistent(self, delta: Mapping[Key, int]) -> bool:
        """Every bound and relation holds for the true table moved by ``delta``."""
        if any(not self.fits(key, 0, d) for key, d in delta.items()):
            return False
        touched = {i for key in delta for i in self._sums_of.get(key, ())}
        if any(self.imbalance(i, delta) for i in touched):
            return False
        return all(self.within_ok(key, delta) for key in delta)

    def imbalance(self, index: int, delta: Mapping[Key, int]) -> int:
        return sum(coef * delta.get(key, 0) for key, coef in self._terms[index].items())

    def sums_of(self, key: Key) -> list[int]:
        return self._sums_of.get(key, [])

    def terms(self, index: int) -> dict[Key, int]:
        return self._terms[index]

    def within_ok(self, key: Key, delta: Mapping[Key, int]) -> bool:
        return all(
            self.value(w.part, delta) <= self.value(w.whole, delta)
            for w in self._withins_of.get(key, ())
        )

    def withins_touched(self, delta: Mapping[Key, int]) -> list[Within]:
        found: dict[Within, None] = {}
        for key in delta:
            for w in self._withins_of.get(key, ()):
                found[w] = None
        return list(found)

    def value(self, key: Key, delta: Mapping[Key, int]) -> int:
        return self._truth[key] + delta.get(key, 0)

    def is_hidden(self, key: Key) -> bool:
        return key in self._bounds

    def fits(self, key: Key, moved: int, step: int) -> bool:
        """Whether ``key``, already moved by ``moved``, stays within its bounds after ``step``."""
        low, high = self._bounds[key]
        value = self._truth[key] + moved + step
        return value >= low and (high is None or value <= high)


class _Search:
    """Depth-first repair, one unit at a time, within a node budget: a sum that no longer adds up
    moves another of its hidden cells; a part that outgrew its whole moves the whole up or the
    part down."""

    def __init__(self, reader: Reader, cell: Key, budget: int) -> None:
        self._reader = reader
        self._cell = cell
        self._budget = budget
        self._seen: set[frozenset[tuple[Key, int]]] = set()

    def run(self, delta: dict[Key, int], depth: int) -> dict[Key, int] | None:
        self._budget -= 1
        if self._budget < 0 or depth < 0:
            return None
        state = frozenset(delta.items())
        if state in self._seen:
            return None
        self._seen.add(state)
        best: list[tuple[Key, int]] | None = None
        for repairs in self._broken(delta):
            if not repairs:
                return None
            if best is None or len(repairs) < len(best):
                best = repairs
        if best is None:
            return dict(delta)
        for key, step in best:
            moved = dict(delta)
            moved[key] = moved.get(key, 0) + step
            if moved[key] == 0:
                del moved[key]
            found = self.run(moved, depth - 1)
            if found is not None:
                return found
        return None

    def _broken(self, delta: dict[Key, int]) -> list[list[tuple[Key, int]]]:
        """For each relation the moves broke, the moves that would mend it."""
        reader = self._reader
        broken: list[list[tuple[Key, int]]] = []
        for index in sorted({i for key in delta for i in reader.sums_of(key)}):
            error = reader.imbalance(index, delta)
            if error:
                broken.append(self._mend_sum(index, error, delta))
        for w in reader.withins_touched(delta):
            if reader.value(w.part, delta) > reader.value(w.whole, delta):
                options = [(w.whole, 1), (w.part, -1)]
                broken.append([(key, step) for key, step in options if self._may(key, step, delta)])
        return broken

    def _mend_sum(self, index: int, error: int, delta: dict[Key, int]) -> list[tuple[Key, int]]:
        reader = self._reader
        options: list[tuple[int, Key, int]] = []
        for key, coef in reader.terms(index).items():
            step = -1 if error * coef > 0 else 1
            if abs(error + coef * step) >= abs(error):
                continue  # a total that moves more than the error: parts must move first
            if self._may(key, step, delta):
                # Cells in no other sum end the path at once; try them first.
                options.append((len(reader.sums_of(key)), key, step))
        options.sort()
        return [(key, step) for _, key, step in options]

    def _may(self, key: Key, step: int, delta: dict[Key, int]) -> bool:
        return (
            key != self._cell
            and self._reader.is_hidden(key)
            and self._reader.fits(key, delta.get(key, 0), step)
        )
