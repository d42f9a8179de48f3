"""k-safe segments: which role, province and networks an answer may carry.

Answers carry a coarse segment so participation and opinions can be compared per group. But some
full segments are one person: the griffier of Utrecht (G4), the mayor of Amsterdam. So every
segment stored with an answer (or, later, a contribution or reaction) is a *released* segment,
shared by at least ``k`` invitees. Pure: the store hands in who was invited, per full segment,
and keeps the decision (``dialogen.store.segment_releases``).

**Generalising.** A segment has three attributes, each with levels:

- networks: the set (``"G40,M50"``) → dropped (``""``, as for someone without networks);
- province: the province → its region (Noord, Oost, West, Zuid) → not shown (``None``);
- role: the role → its role group (Bestuur, Raad, Ambtelijk) → not shown (``None``). The
  samenwerkingsverband and "anders" roles are groups of one, so for them the next level is
  "not shown".

**Released cells.** Every invitee's full segment maps to exactly one released segment, and the
invitees mapped to one released segment number at least ``k`` (unless there are fewer than ``k``
invitees in all: then everyone gets the top, nothing shown). A released segment is a label for
that group of invitees, nothing more: answers labelled ``raadslid | Noord`` come from the
invitees mapped there, which the decision lists.

**The search** (deterministic): repeatedly take the smallest group under ``k`` (ties: by label)
and move it to a coarser label. The candidate moves:

- widen one attribute, in the order networks, province, role: the widened label gathers the
  groups that already carry it; when that is still under ``k``, the groups whose label widens to
  the same one (its siblings) join, smallest first, until ``k`` is reached;
- join one other group under the most specific label that covers both (:func:`join`: per
  attribute the same value, the shared role group or region, or nothing shown).

The *loss* of a move is the number of invitees whose released segment becomes coarser: the group
itself plus the groups that had to join (groups that already carried the label lose nothing). The
move chosen is the one that reaches ``k`` with the least loss; ties go to single widenings in the
attribute order above, then to joins, then by label; when no move reaches ``k``, the one that
gathers the most invitees. It ends when every group has ``k`` invitees, or all are one group.

**Decisions stick** where answers depend on them: a released segment that answers already carry
(``frozen``) keeps its whole group of full segments together — it can only be widened as a whole
(and the stored answers follow, by segment value), never split. Everything else is decided anew
from the current invited population.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.stakeholders.segments import Segment

REGIONS: Mapping[str, str] = {
    "Groningen": "Noord",
    "Fryslân": "Noord",
    "Friesland": "Noord",
    "Drenthe": "Noord",
    "Overijssel": "Oost",
    "Gelderland": "Oost",
    "Flevoland": "Oost",
    "Noord-Holland": "West",
    "Zuid-Holland": "West",
    "Utrecht": "West",
    "Zeeland": "Zuid",
    "Noord-Brabant": "Zuid",
    "Limburg": "Zuid",
}
"""Province (as CBS writes it, and Friesland as people do) -> region."""

ROLE_GROUPS: Mapping[str, str] = {
    "burgemeester": "bestuur",
    "wethouder": "bestuur",
    "raadslid": "raad",
    "griffier": "raad",
    "gemeentesecretaris": "ambtelijk",
    "gemeenteambtenaar": "ambtelijk",
}
"""Role -> role group, for the groups of more than one role (Samenwerkingsverband and Anders are
groups of one: widening those roles hides them)."""

GROUP_LABELS: Mapping[str, str] = {
    "bestuur": "Bestuur",
    "raad": "Raad",
    "ambtelijk": "Ambtelijk",
}
"""How a role group is shown (Dutch)."""


@dataclass(frozen=True, order=True)
class Cell:
    """A segment as stored: role (or role group, or None = not shown), province (or region, or
    None), networks (comma separated, ``""`` = none or not shown)."""

    role: str | None
    province: str | None
    networks: str

    @classmethod
    def of(cls, segment: Segment) -> Cell:
        return cls(segment.role, segment.province, segment.networks_text)

    def as_segment(self) -> Segment:
        parts = frozenset(n for n in self.networks.split(",") if n)
        return Segment(role=self.role, province=self.province, networks=parts)

    @property
    def key(self) -> tuple[str, str, str]:
        """For sorting and for storage keys: None as ``""``."""
        return (self.role or "", self.province or "", self.networks)


class Attribute(Enum):
    NETWORKS = "networks"
    PROVINCE = "province"
    ROLE = "role"


ORDER = (Attribute.NETWORKS, Attribute.PROVINCE, Attribute.ROLE)
NOTHING = Cell(None, None, "")
"""The top of the lattice: no role, province or networks shown."""


def widen(cell: Cell, attribute: Attribute) -> Cell | None:
    """``cell`` one level coarser in ``attribute``; None when it is as coarse as it gets."""
    if attribute is Attribute.NETWORKS:
        return Cell(cell.role, cell.province, "") if cell.networks else None
    if attribute is Attribute.PROVINCE:
        if cell.province is None:
            return None
        region = REGIONS.get(cell.province)
        return Cell(cell.role, region, cell.networks)  # a region (or unknown) widens to None
    if cell.role is None:
        return None
    return Cell(ROLE_GROUPS.get(cell.role), cell.province, cell.networks)


@dataclass
class _Group:
    label: Cell
    cells: set[Cell]
    invitees: int


@dataclass(frozen=True)
class Release:
    """The decision: every full segment's released segment, and where each frozen label went."""

    mapping: dict[Cell, Cell]
    moved: dict[Cell, Cell] = field(default_factory=dict)  # frozen label -> its label now

    def released(self, full: Cell) -> Cell | None:
        return self.mapping.get(full)

    def groups(self) -> dict[Cell, set[Cell]]:
        found: dict[Cell, set[Cell]] = {}
        for full, label in self.mapping.items():
            found.setdefault(label, set()).add(full)
        return found


def decide(
    population: Mapping[Cell, int],
    *,
    k: int = K_ANONYMITY,
    frozen: Mapping[Cell, Iterable[Cell]] | None = None,
) -> Release:
    """Released segments for ``population`` (invitees per full segment). ``frozen``: labels that
    stored answers carry, each with the full segments it was released for."""
    groups: dict[Cell, _Group] = {}
    assigned: set[Cell] = set()
    frozen_labels = dict(frozen or {})
    for label in sorted(frozen_labels, key=_sort_key):
        cells = set(frozen_labels[label]) - assigned
        assigned |= cells
        _add(groups, _Group(label, cells, sum(population.get(c, 0) for c in cells)))
    for cell in sorted(population, key=_sort_key):
        if cell not in assigned:
            _add(groups, _Group(cell, {cell}, population[cell]))
    origin = {label: label for label in frozen_labels}  # frozen label -> current label
    while len(groups) > 1:
        small = [g for g in groups.values() if g.invitees < k]
        if not small:
            break
        group = min(small, key=lambda g: (g.invitees, _sort_key(g.label)))
        target, joining = _best_move(group, groups, k)
        merged = _Group(target, set(group.cells), group.invitees)
        for other in [group, *joining]:
            del groups[other.label]
            if other is not group:
                merged.cells |= other.cells
                merged.invitees += other.invitees
            for label, now in origin.items():
                if now == other.label:
                    origin[label] = target
        _add(groups, merged)
    if len(groups) == 1:  # fewer than k invitees in all: nothing of the segment is shown
        (only,) = groups.values()
        if only.invitees < k and only.label != NOTHING:
            for label, now in origin.items():
                if now == only.label:
                    origin[label] = NOTHING
            only.label = NOTHING
    mapping = {cell: group.label for group in groups.values() for cell in group.cells}
    moved = {label: now for label, now in origin.items() if now != label}
    return Release(mapping, moved)


Score = tuple[bool, int, int, tuple[str, str, str]]


def _best_move(group: _Group, groups: Mapping[Cell, _Group], k: int) -> tuple[Cell, list[_Group]]:
    """The widened label and the groups that join it: those already there, and siblings (one
    attribute widened) or one other group (the label that covers both, several attributes)."""
    best: tuple[Score, Cell, list[_Group]] | None = None
    for rank, attribute in enumerate(ORDER):
        target = widen(group.label, attribute)
        if target is None:
            continue
        joining = [groups[target]] if target in groups else []
        gathered = group.invitees + sum(g.invitees for g in joining)
        loss = group.invitees
        if gathered < k:
            siblings = sorted(
                (
                    g
                    for g in groups.values()
                    if g is not group and g.label != target and widen(g.label, attribute) == target
                ),
                key=lambda g: (g.invitees, _sort_key(g.label)),
            )
            for sibling in siblings:
                if gathered >= k:
                    break
                joining.append(sibling)
                gathered += sibling.invitees
                loss += sibling.invitees
        score = (gathered < k, loss if gathered >= k else -gathered, rank, _sort_key(target))
        if best is None or score < best[0]:
            best = (score, target, joining)
    for other in groups.values():  # together with one other group, under the label of both
        if other is group:
            continue
        target = join(group.label, other.label)
        joining = [other] + ([groups[target]] if target in groups and target != other.label else [])
        joining = [g for g in joining if g is not group]
        gathered = group.invitees + sum(g.invitees for g in joining)
        loss = group.invitees + (other.invitees if other.label != target else 0)
        score = (gathered < k, loss if gathered >= k else -gathered, len(ORDER), _sort_key(target))
        if best is None or score < best[0]:
            best = (score, target, joining)
    assert best is not None  # there is another group (the loop stops at one)
    return best[1], best[2]


def join(a: Cell, b: Cell) -> Cell:
    """The most specific label that covers both: per attribute the same value, or the role group
    or region they share, or nothing shown."""
    return Cell(
        _join_level(a.role, b.role, ROLE_GROUPS),
        _join_level(a.province, b.province, REGIONS),
        a.networks if a.networks == b.networks else "",
    )


def _join_level(a: str | None, b: str | None, parent: Mapping[str, str]) -> str | None:
    if a == b:
        return a
    up_a = parent.get(a, a) if a is not None else None  # a group or region is its own parent
    up_b = parent.get(b, b) if b is not None else None
    return up_a if up_a is not None and up_a == up_b else None


def _add(groups: dict[Cell, _Group], group: _Group) -> None:
    """A group under a label another group carries: they are one group (one label)."""
    same = groups.get(group.label)
    if same is None:
        groups[group.label] = group
    else:
        same.cells |= group.cells
        same.invitees += group.invitees


def _sort_key(cell: Cell) -> tuple[str, str, str]:
    return cell.key
