"""The one k-suppression that guards every figure an output shows.

Give it every count one publication shows (a report, a dashboard page, a results message) — all its
tables together, each cell under one key — and the relations a reader knows between them. It
returns display cells: a count under k (``K_ANONYMITY`` = 5) reads ``"< k"``; a percentage is given
only when its count and its base are both shown; and no hidden count of 1 to k-1 can be computed
back from what is shown.

What "computed back" (by difference) covers:

1. **A partition of a shown total** (``Sum(total, parts)``): role groups or provinces add up to
   everyone. If exactly one part is hidden, the total minus the shown parts gives it, so the
   smallest other part is hidden too (complementary suppression).
2. **Nested groups**: a province total and its shown sub-groups are one more ``Sum`` whose total
   is itself a part of the partition above; the same rule applies to the total (hide a part when
   only the total is hidden) and the search below follows the chain through both levels.
3. **The same group in two tables**: a figure shown in two tables is one cell (one key), so it is
   hidden in both or in neither — never shown in one table and hidden in the other.
4. **Two figures of one group** (``Within(part, whole)``): "invited 12 / started 9" is fine — the
   difference is not a figure we hide — but a reader may use ``part <= whole`` as a bound.
5. **Combinations**: the rules above are necessary, not sufficient (two hidden cells of 4 that
   add up to a shown 8 are both 4; a 2-D table can pin a cell through its rows and columns). So
   every hidden count of 1 to k-1 must also be *proven* not recoverable: see
   :mod:`dialogen.analysis.disclosure` for the reader we assume (who knows every relation and
   why each cell is hidden) and the search for a second table. Cells that cannot be proven safe
   get one more complement, until all are.
6. **Statistics of what is hidden together** (``Sum(..., pooled=True)``): where a partition also
   shows means or shares per group, the hidden groups together (total minus the shown parts) must
   hold 0 or at least k respondents.

Not covered, and why:

- a hidden cell found to be **0**: it describes nobody (the participation figures have always let
  "nobody else started" be read off);
- a table in which every cell tied to a small one is hidden already: nothing is left to hide, and
  nothing shown to compute from;
- differences of two figures that are no partition (``Within``: "invited 12 / started 9");
- a group in which *everyone* gave the same answer.

Algorithm (deterministic; ties go to the smaller key): ``hidden`` = cells under k, plus
``withhold``; then, until nothing changes: hide what follows a hidden whole
(``Within.follows``); in each ``Sum`` with exactly one hidden cell (unless it is a 0 and
``lone_zeros`` is off), hide the smallest shown part (the total when no part is shown); in each
pooled ``Sum`` whose hidden parts hold 1 to k-1, hide the smallest shown part; finally prove
each hidden count of 1..k-1 safe, and when one cannot be, hide the smallest shown cell of a sum
it is in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from dialogen.analysis.disclosure import Key, Reader, Relation, Sum, Within, holds
from dialogen.privacy.anonymity import K_ANONYMITY

__all__ = [
    "Cell",
    "Hidden",
    "Key",
    "Relation",
    "Sum",
    "Suppressed",
    "Within",
    "cell_bounds",
    "suppress",
]


class Hidden(Enum):
    """Why a cell is hidden. A reader may know it: the guarantee holds even then."""

    SMALL = "small"  # fewer than k
    COMPLEMENT = "complement"  # so that a small cell cannot be computed by difference
    WITH_GROUP = "with group"  # its group (the whole of a following Within) is hidden
    WITHHELD = "withheld"  # the caller's choice


@dataclass(frozen=True)
class Cell:
    """One figure as shown: its text, and the count only when it is shown."""

    text: str
    count: int | None
    hidden: Hidden | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None


@dataclass(frozen=True)
class Suppressed:
    """The display of every cell of one publication, after suppression."""

    k: int
    cells: Mapping[Key, Cell] = field(repr=False)
    unproven: frozenset[Key] = frozenset()
    """Small counts that could not be proven safe because every cell that could protect them is
    one the caller asked to keep (``keep``): the caller must withhold more."""

    def __getitem__(self, key: Key) -> Cell:
        return self.cells[key]

    def text(self, key: Key) -> str:
        return self.cells[key].text

    def count(self, key: Key) -> int | None:
        return self.cells[key].count

    def shown(self, key: Key) -> bool:
        return self.cells[key].shown

    def percent(self, part: Key, base: Key) -> str | None:
        """``"75%"`` when both counts are shown (and the base is not 0), else None."""
        n, total = self.cells[part].count, self.cells[base].count
        if n is None or total is None or total == 0:
            return None
        return f"{round(100 * n / total)}%"

    def bounds(self, key: Key) -> tuple[int, int | None]:
        """What a reader knows of a cell on its own: the count, ``0..k-1``, or ``k..``."""
        return cell_bounds(self.cells[key], self.k)


def cell_bounds(cell: Cell, k: int) -> tuple[int, int | None]:
    """What a reader knows of one cell: its count; ``0..k-1`` when small; else at least k."""
    if cell.count is not None:
        return cell.count, cell.count
    return (0, k - 1) if cell.hidden is Hidden.SMALL else (k, None)


def suppress(
    counts: Mapping[Key, int],
    relations: Iterable[Relation] = (),
    *,
    k: int = K_ANONYMITY,
    withhold: Collection[Key] = (),
    keep: Collection[Key] = (),
    lone_zeros: bool = True,
) -> Suppressed:
    """Display cells for ``counts`` (see the module docstring for what is guaranteed).

    ``relations`` name cells of ``counts``; one the counts do not satisfy is left out (it would
    tell a reader nothing true). ``withhold`` hides cells for the caller's own reasons. ``keep``
    names cells never hidden as a complement (figures of a higher level, decided before); a
    small count that only they could protect is reported in ``unproven``. ``lone_zeros``: a 0
    that is the only hidden cell of its sum gets a complement too — the participation figures'
    rule, kept there; a 0 may be found (see above), so the analysis tables, full of structural
    zeros ("nobody passed"), switch it off.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if any(n < 0 for n in counts.values()):
        raise ValueError("counts cannot be negative")
    relations = tuple(relations)
    for relation in relations:
        keys = (
            (relation.total, *relation.parts)
            if isinstance(relation, Sum)
            else (relation.part, relation.whole)
        )
        missing = [key for key in keys if key not in counts]
        if missing:
            raise ValueError(f"relation names cells that are not counted: {missing}")
    unknown = [key for key in (*withhold, *keep) if key not in counts]
    if unknown:
        raise ValueError(f"withheld or kept cells that are not counted: {unknown}")
    keep = frozenset(keep)

    sums = [r for r in relations if isinstance(r, Sum) and holds(r, counts)]
    withins = [r for r in relations if isinstance(r, Within)]
    hidden: dict[Key, Hidden] = {key: Hidden.SMALL for key, n in counts.items() if n < k}
    for key in withhold:
        hidden.setdefault(key, Hidden.WITHHELD)
    proven: set[Key] = set()
    dark: set[Key] = set()
    blocked: set[Key] = set()
    while True:
        if _follow(hidden, withins, counts, k) or _complete(
            hidden, sums, counts, k, keep, lone_zeros
        ):
            continue
        extra = _prove(counts, hidden, sums, withins, k, keep, proven, (dark, blocked))
        if extra is None:
            break
        _hide(hidden, extra, Hidden.COMPLEMENT, counts, k)
    cells = {
        key: (Cell(f"< {k}", None, hidden[key]) if key in hidden else Cell(str(n), n))
        for key, n in counts.items()
    }
    return Suppressed(k, MappingProxyType(cells), frozenset(blocked))


def _hide(
    hidden: dict[Key, Hidden], key: Key, reason: Hidden, counts: Mapping[Key, int], k: int
) -> None:
    hidden[key] = Hidden.SMALL if counts[key] < k else reason


def _follow(
    hidden: dict[Key, Hidden], withins: list[Within], counts: Mapping[Key, int], k: int
) -> bool:
    changed = False
    for w in withins:
        if w.follows and w.whole in hidden and w.part not in hidden:
            _hide(hidden, w.part, Hidden.WITH_GROUP, counts, k)
            changed = True
    return changed


def _complete(
    hidden: dict[Key, Hidden],
    sums: list[Sum],
    counts: Mapping[Key, int],
    k: int,
    keep: frozenset[Key],
    lone_zeros: bool,
) -> bool:
    """One complementary cell for the first partition that needs one; True when one was hidden.
    (Where only kept cells could be hidden, the proof decides.)"""
    for s in sums:
        members = (s.total, *s.parts)
        hidden_members = [m for m in members if m in hidden]
        shown_parts = sorted((counts[p], p) for p in s.parts if p not in hidden)
        need = len(hidden_members) == 1 and (lone_zeros or counts[hidden_members[0]] > 0)
        if not need and s.pooled and s.total not in hidden:
            remainder = counts[s.total] - sum(n for n, _ in shown_parts)
            need = 0 < remainder < k
        if not need:
            continue
        candidates = [p for _, p in shown_parts if p not in keep]
        if not candidates and s.total not in hidden and s.total not in keep:
            candidates = [s.total]
        if candidates:
            _hide(hidden, candidates[0], Hidden.COMPLEMENT, counts, k)
            return True
    return False


def _prove(
    counts: Mapping[Key, int],
    hidden: dict[Key, Hidden],
    sums: list[Sum],
    withins: list[Within],
    k: int,
    keep: frozenset[Key],
    proven: set[Key],
    given_up: tuple[set[Key], set[Key]],
) -> Key | None:
    """Prove every hidden count of 1..k-1 safe; return a cell to hide for the first that is not.
    Cells that cannot be helped go to ``given_up``: (in the dark, blocked by kept cells)."""
    dark, blocked = given_up
    blocked.clear()  # more is hidden since: try them again
    bounds = {key: ((0, k - 1) if counts[key] < k else (k, None)) for key in hidden}
    valid_withins = [w for w in withins if holds(w, counts)]
    reader = Reader(counts, bounds, sums, valid_withins)
    for key in sorted(hidden):
        if not 0 < counts[key] < k or key in proven or key in dark or key in blocked:
            continue
        delta = reader.witness(key)
        if delta is not None:
            proven.update(delta)
            continue
        extra, lit = _complement_for(key, counts, hidden, sums, valid_withins, keep)
        if extra is not None:
            return extra
        # Nothing shown around it (all hidden already), or only kept cells could help.
        (blocked if lit else dark).add(key)
    return None


def _complement_for(
    key: Key,
    counts: Mapping[Key, int],
    hidden: Mapping[Key, Hidden],
    sums: list[Sum],
    withins: list[Within],
    keep: frozenset[Key],
) -> tuple[Key | None, bool]:
    """The smallest shown cell (not kept) of a sum ``key`` is in, a part before a total; else the
    same one step further along the hidden cells it is tied to. Also: whether any shown cell
    was met at all."""
    frontier, visited, lit = {key}, {key}, False
    while frontier:
        found: list[tuple[bool, int, Key]] = []
        reached: set[Key] = set()
        for cell in frontier:
            for s in sums:
                if cell != s.total and cell not in s.parts:
                    continue
                for member in (s.total, *s.parts):
                    if member not in hidden:
                        found.append((member == s.total, counts[member], member))
                    elif member not in visited:
                        reached.add(member)
            for w in withins:
                if cell in (w.part, w.whole):
                    other = w.whole if cell == w.part else w.part
                    if other not in hidden:
                        found.append((True, counts[other], other))
        lit = lit or bool(found)
        allowed = [f for f in found if f[2] not in keep]
        if allowed:
            return min(allowed)[2], True
        visited |= reached
        frontier = reached
    return None, lit
