"""An independent check of k-suppression: every table a reader could believe, by exhaustion.

The engine proves cells safe with a repair search (:mod:`dialogen.analysis.disclosure`). This
checker shares none of its code: it enumerates every assignment of the hidden cells that fits the
reader's knowledge (shown counts; a cell under k is 0..k-1, any other hidden cell k..cap; every
``Sum`` adds up; every ``Within`` holds), narrowing the ranges by interval propagation at each
step, and reports each hidden count of 1..k-1 that takes only one value across all of them.
For small tables only: the search is exhaustive.

``in_the_dark`` names the hidden cells tied (through relations over hidden cells) to no shown
cell at all: with nothing shown to compute from, only a reader who knows which hidden cells are
complements could pin one — the documented limit of the guarantee.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dialogen.analysis.suppression import Key, Relation, Sum, Suppressed, Within

Ranges = dict[Key, tuple[int, int]]


def recoverable(
    counts: Mapping[Key, int], relations: Sequence[Relation], shown: Suppressed
) -> set[Key]:
    """The hidden counts of 1..k-1 that every consistent table gives the same value."""
    k = shown.k
    cap = sum(counts.values()) + k
    ranges: Ranges = {}
    for key, n in counts.items():
        if shown.shown(key):
            ranges[key] = (n, n)
        else:
            ranges[key] = (0, k - 1) if n < k else (k, cap)
    sums = [
        [(r.times, r.total)] + [(-1, p) for p in r.parts]
        for r in relations
        if isinstance(r, Sum) and r.times * counts[r.total] == sum(counts[p] for p in r.parts)
    ]
    withins = [
        (r.part, r.whole)
        for r in relations
        if isinstance(r, Within) and counts[r.part] <= counts[r.whole]
    ]
    protected = sorted(key for key, n in counts.items() if not shown.shown(key) and 0 < n < k)
    return {
        key
        for key in protected
        if not any(
            _exists({**ranges, key: (value, value)}, sums, withins)
            for value in range(ranges[key][0], ranges[key][1] + 1)
            if value != counts[key]
        )
    }


def in_the_dark(
    counts: Mapping[Key, int], relations: Sequence[Relation], shown: Suppressed
) -> set[Key]:
    links: dict[Key, set[Key]] = {key: set() for key in counts}
    for r in relations:
        members = (r.total, *r.parts) if isinstance(r, Sum) else (r.part, r.whole)
        for a in members:
            links[a].update(members)
    dark: set[Key] = set()
    for start in counts:
        if shown.shown(start) or start in dark:
            continue
        component, frontier, lit = {start}, [start], False
        while frontier:
            cell = frontier.pop()
            for other in links[cell]:
                if shown.shown(other):
                    lit = True
                elif other not in component:
                    component.add(other)
                    frontier.append(other)
        if not lit:
            dark |= component
    return dark


def _exists(
    ranges: Ranges, sums: list[list[tuple[int, Key]]], withins: list[tuple[Key, Key]]
) -> bool:
    """Whether some table fits these ranges: depth first over the narrowest open range."""
    narrowed = _propagate(ranges, sums, withins)
    if narrowed is None:
        return False
    open_cells = [key for key, (lo, hi) in narrowed.items() if lo < hi]
    if not open_cells:
        return True
    key = min(open_cells, key=lambda c: (narrowed[c][1] - narrowed[c][0], c))
    lo, hi = narrowed[key]
    return any(_exists({**narrowed, key: (v, v)}, sums, withins) for v in range(lo, hi + 1))


def _propagate(
    ranges: Ranges, sums: list[list[tuple[int, Key]]], withins: list[tuple[Key, Key]]
) -> Ranges | None:
    """Tighten every range until nothing changes; None when some range becomes empty."""
    ranges = dict(ranges)
    changed = True
    while changed:
        changed = False
        for terms in sums:
            low = sum(c * (ranges[key][0] if c > 0 else ranges[key][1]) for c, key in terms)
            high = sum(c * (ranges[key][1] if c > 0 else ranges[key][0]) for c, key in terms)
            if not low <= 0 <= high:
                return None
            for c, key in terms:
                lo, hi = ranges[key]
                own_low = c * lo if c > 0 else c * hi
                own_high = c * hi if c > 0 else c * lo
                # c * x equals minus the other terms, which lie within
                # [low - own_low, high - own_high]
                min_cx, max_cx = own_high - high, own_low - low
                if c > 0:
                    new_lo, new_hi = max(lo, _ceil(min_cx, c)), min(hi, _floor(max_cx, c))
                else:
                    new_lo, new_hi = max(lo, _ceil(max_cx, c)), min(hi, _floor(min_cx, c))
                if new_lo > new_hi:
                    return None
                if (new_lo, new_hi) != (lo, hi):
                    ranges[key] = (new_lo, new_hi)
                    changed = True
        for part, whole in withins:
            (plo, phi), (wlo, whi) = ranges[part], ranges[whole]
            new_part, new_whole = (plo, min(phi, whi)), (max(wlo, plo), whi)
            if new_part[0] > new_part[1] or new_whole[0] > new_whole[1]:
                return None
            if new_part != (plo, phi) or new_whole != (wlo, whi):
                ranges[part], ranges[whole] = new_part, new_whole
                changed = True
    return ranges


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


def _floor(a: int, b: int) -> int:
    return a // b
