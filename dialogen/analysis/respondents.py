"""Anonymous respondents, the groups they fall in, and which groups may be shown.

A respondent is an opaque key (a pseudonym: never a name, address or participant id) with the
coarse segment answers carry: role group, province, networks. Role group and province split
everyone (a partition; no role or province is the group ``UNKNOWN``); networks do not — a
respondent can be in several networks or in none.

Statistics other than counts (mean points, shares, support) are shown per group, so beside the
counting rules of :mod:`dialogen.analysis.suppression` two more things must hold for the groups
that are shown: the hidden groups of a partition hold 0 or at least k respondents together
(``Sum(..., pooled=True)``), and when one shown group lies inside another (a network inside a
network, or everyone minus a network), what lies between them holds 0 or at least k — otherwise
the mean of those few could be computed from the two means. :func:`suppress_groups` withholds the
smaller group until both hold.

:func:`publish` decides in levels, so that a group's figure never costs one of everyone's:
everyone's figures are suppressed on their own first and then kept as they are; a group with a
small figure that only everyone's figures could protect is withheld whole; and if the groups
together would pin one of everyone's hidden figures, the last dimension is left out entirely.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from dialogen.analysis.suppression import Key, Relation, Sum, Suppressed, Within, suppress
from dialogen.stakeholders.segments import Segment

UNKNOWN = "?"
"""The group of respondents whose role or province is not known."""

EVERYONE: Key = ("everyone",)


@dataclass(frozen=True)
class Respondent:
    """One respondent as analysis sees them: an opaque key and a coarse segment."""

    key: str
    segment: Segment


@dataclass(frozen=True)
class Dimension:
    """A way to split respondents into groups."""

    name: str
    groups_of: Callable[[Segment], tuple[str, ...]]
    partition: bool  # every respondent in exactly one group


ROLE = Dimension("role", lambda s: (s.role or UNKNOWN,), partition=True)
PROVINCE = Dimension("province", lambda s: (s.province or UNKNOWN,), partition=True)
NETWORK = Dimension("network", lambda s: tuple(sorted(s.networks)), partition=False)
DIMENSIONS = (ROLE, PROVINCE, NETWORK)


def group_key(dimension: Dimension, group: str) -> Key:
    return ("group", dimension.name, group)


@dataclass(frozen=True)
class Groups:
    """The members of everyone and of each group (sorted by name within a dimension)."""

    members: Mapping[Key, frozenset[str]]
    dimensions: tuple[Dimension, ...]

    def of(self, dimension: Dimension) -> tuple[Key, ...]:
        return tuple(key for key in self.members if key[:2] == ("group", dimension.name))

    def counts(self, prefix: Key = ()) -> dict[Key, int]:
        """The number of members per group, keys prefixed (one item's groups among many)."""
        return {prefix + key: len(found) for key, found in self.members.items()}

    def relations(self, prefix: Key = ()) -> list[Relation]:
        """Each partition adds up to everyone (pooled); no group is shown when everyone is not."""
        found: list[Relation] = []
        for dimension in self.dimensions:
            keys = tuple(prefix + key for key in self.of(dimension))
            if dimension.partition and keys:
                found.append(Sum(prefix + EVERYONE, keys, pooled=True))
            found += [Within(key, prefix + EVERYONE, follows=True) for key in keys]
        return found


def groups_of(
    respondents: Iterable[Respondent], dimensions: Sequence[Dimension] = DIMENSIONS
) -> Groups:
    """Everyone and each group with at least one member."""
    everyone: set[str] = set()
    members: dict[Key, set[str]] = {}
    for respondent in respondents:
        everyone.add(respondent.key)
        for dimension in dimensions:
            for group in dimension.groups_of(respondent.segment):
                members.setdefault(group_key(dimension, group), set()).add(respondent.key)
    found: dict[Key, frozenset[str]] = {EVERYONE: frozenset(everyone)}
    for dimension in dimensions:
        for key in sorted(g for g in members if g[1] == dimension.name):
            found[key] = frozenset(members[key])
    return Groups(MappingProxyType(found), tuple(dimensions))


Family = Mapping[Key, frozenset[str]]
Table = tuple[dict[Key, int], list[Relation], list[Family]]


def publish(
    table: Callable[[tuple[Dimension, ...]], Table],
    dimensions: Sequence[Dimension],
    group_of: Callable[[Key], Key | None],
    *,
    k: int,
) -> tuple[Suppressed, tuple[Dimension, ...]]:
    """Suppress one publication in levels (see the module docstring). ``table(dimensions)`` gives
    its counts, relations and families with those dimensions (none: everyone's figures only);
    ``group_of`` names the group cell a cell belongs to (None for everyone's). Returns the
    display and the dimensions it still shows."""
    top_counts, top_relations, top_families = table(())
    top = suppress_groups(top_counts, top_relations, top_families, k=k)
    top_hidden = {key for key in top_counts if not top.shown(key)}
    shown_dimensions = tuple(dimensions)
    withheld: set[Key] = set()
    while True:
        counts, relations, families = table(shown_dimensions)
        shown = suppress_groups(
            counts,
            relations,
            families,
            k=k,
            withhold=top_hidden | {key for key in withheld if key in counts},
            keep=top_counts.keys(),
        )
        if not shown.unproven:
            return shown, shown_dimensions
        groups = {group_of(cell) for cell in shown.unproven} - {None} - withheld
        if groups:
            withheld |= {g for g in groups if g is not None}
        else:
            shown_dimensions = shown_dimensions[:-1]


def suppress_groups(
    counts: Mapping[Key, int],
    relations: Iterable[Relation],
    families: Iterable[Family],
    *,
    k: int,
    withhold: Collection[Key] = (),
    keep: Collection[Key] = (),
) -> Suppressed:
    """:func:`suppress` (a lone hidden 0 needs no complement here), then withhold any shown group
    that lies inside another shown group of the same family with 1 to k-1 respondents between
    them, until none does. A family is one set of groups over the same respondents
    (``Groups.members``, keys as in ``counts``)."""
    relations = tuple(relations)
    families = tuple(families)
    withhold = set(withhold)
    while True:
        shown = suppress(counts, relations, k=k, withhold=withhold, keep=keep, lone_zeros=False)
        more = {
            key
            for members in families
            for key in _inside_by_few(members, shown, k)
            if key not in withhold and key not in keep
        }
        if not more:
            return shown
        withhold |= more


def _inside_by_few(members: Mapping[Key, frozenset[str]], shown: Suppressed, k: int) -> set[Key]:
    visible = sorted((len(found), key, found) for key, found in members.items() if shown.shown(key))
    inside: set[Key] = set()
    for i, (size, key, found) in enumerate(visible):
        for larger_size, _, larger in visible[i + 1 :]:
            if 0 < larger_size - size < k and found < larger:
                inside.add(key)
                break
    return inside
